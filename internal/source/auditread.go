package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/auditlog"
	"github.com/aksguard/aksguard/internal/source/inputcap"
)

// Audit logs are streamed, never held: a file or stdin is sniffed from its
// first bytes (decompressed when they are gzip's magic bytes) and, when
// auditlog recognises an audit log, read record by record to the scan's
// observer (Options.Audit). The caps that bound what is held do not bound
// them (one record is held at a time, at most auditlog.DefaultMaxRecordBytes):
// an audit log is read up to the scan's byte cap (--max-scan-mb, or
// DefaultMaxScanBytes when none is set) instead of --max-input-mb, and a
// gzip log decompresses to at most that many bytes (a gzip bomb ends there
// as an incomplete input). A file's size counts against the scan's cap
// like any input's (reservation.reserve).

// auditExts are the file endings a directory walk reads for audit logs
// only: such a file that holds none is skipped, not an error.
var auditExts = map[string]bool{".log": true, ".jsonl": true, ".gz": true, ".csv": true}

// NotAuditLog is the skip reason of a walked .log, .jsonl, .csv or .gz file
// that holds no audit log.
const NotAuditLog = "not an audit log (.log, .jsonl, .csv and .gz files are read for audit logs only)"

// auditBufBytes is the read buffer of an input that may be an audit log:
// auditlog.Sniff looks at its first auditlog.SniffBytes.
const auditBufBytes = 256 << 10

// auditCap is the most an audit log is read (decompressed).
func auditCap(opts *Options) int64 {
	if opts.MaxScanBytes > 0 {
		return opts.MaxScanBytes
	}
	return DefaultMaxScanBytes
}

// errGzipCap is a gzip stream that decompresses past the audit cap.
type errGzipCap struct{ max int64 }

func (e errGzipCap) Error() string {
	return fmt.Sprintf("it decompresses to more than %d MiB (--max-scan-mb): a gzip bomb, or raise --max-scan-mb", e.max>>20)
}

// readAuditLog streams the input br reads when it is an audit log and
// returns its batch (the log's coverage and errors); nil when it is not one
// and the input is to be read as usual from br. cr is the capped reader
// under br, whose per-input cap an audit log lifts.
func readAuditLog(br *bufio.Reader, cr *cappedReader, in *input, opts *Options) *inventory.Batch {
	max := auditCap(opts)
	src := br
	magic, _ := br.Peek(2)
	gz := auditlog.IsGzip(magic)
	if gz {
		cr.lift(max)
		zr, err := gzip.NewReader(br)
		if err != nil {
			return &inventory.Batch{Errors: []inventory.InputError{{Input: in.path, Line: 1,
				Message: "a gzip stream that cannot be read (" + gzipError(err) + "): aksguard reads gzip files for audit logs; give the log it holds"}}}
		}
		defer zr.Close()
		src = bufio.NewReaderSize(inputcap.Limit(zr, max, errGzipCap{max}), auditBufBytes)
	}
	head, _ := src.Peek(auditlog.SniffBytes)
	k := auditlog.Sniff(head)
	if k == auditlog.None {
		ext := strings.ToLower(filepath.Ext(in.path))
		switch {
		case gz && in.explicit:
			return &inventory.Batch{Errors: []inventory.InputError{{Input: in.path, Line: 1,
				Message: "a gzip file that holds no audit log: aksguard reads gzip files for Kubernetes audit logs only; decompress it"}}}
		case gz, !in.explicit && auditExts[ext] && in.path != "-":
			return &inventory.Batch{Skipped: NotAuditLog}
		}
		return nil
	}
	cr.lift(max)
	return auditlog.Read(src, k, auditlog.Options{Input: in.path, Observer: withAuditProgress(opts)}).Batch()
}

// OtherCategories is the skip reason of diagnostic records or
// AzureDiagnostics rows none of which is of kube-audit or kube-audit-admin.
const OtherCategories = auditlog.OtherCategories

// smallAuditLog is readAuditLog for a small file read whole: a gzip one
// is streamed from its bytes; a walked .log, .jsonl or .csv that holds no
// audit log is skipped; nil hands the data to detect.Data, which
// recognises an audit log first.
func smallAuditLog(data []byte, cr *cappedReader, in *input, opts *Options) *inventory.Batch {
	if auditlog.IsGzip(data) {
		return readAuditLog(bufio.NewReader(bytes.NewReader(data)), cr, in, opts)
	}
	if !in.explicit && auditExts[strings.ToLower(filepath.Ext(in.path))] && auditlog.Sniff(data) == auditlog.None {
		return &inventory.Batch{Skipped: NotAuditLog}
	}
	return nil
}

// gzipError names a gzip header error without quoting the input.
func gzipError(err error) string {
	switch err {
	case gzip.ErrHeader:
		return "invalid header"
	case gzip.ErrChecksum:
		return "invalid checksum"
	case io.EOF, io.ErrUnexpectedEOF:
		return "truncated"
	}
	return "unreadable"
}

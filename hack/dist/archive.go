package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// writeArchive writes the files, flat (base names only), into a .tar.gz or
// a .zip chosen by out's name. Executables (any execute bit) are 0755, the
// rest 0644; owner root, time when.
func writeArchive(out string, files []string, when time.Time) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	switch {
	case strings.HasSuffix(out, ".tar.gz"):
		err = writeTarGz(f, files, when)
	case strings.HasSuffix(out, ".zip"):
		err = writeZip(f, files, when)
	default:
		err = fmt.Errorf("%s: want a .tar.gz or .zip name", out)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
	}
	return err
}

func mode(fi os.FileInfo) int64 {
	if fi.Mode()&0o111 != 0 {
		return 0o755
	}
	return 0o644
}

func writeTarGz(w io.Writer, files []string, when time.Time) error {
	gz, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	gz.ModTime = when
	tw := tar.NewWriter(gz)
	for _, name := range files {
		fi, err := os.Stat(name)
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", name)
		}
		hdr := &tar.Header{Name: filepath.Base(name), Mode: mode(fi), Size: fi.Size(), ModTime: when,
			Typeflag: tar.TypeReg, Uname: "root", Gname: "root", Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if err := copyFile(tw, name); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, files []string, when time.Time) error {
	zw := zip.NewWriter(w)
	for _, name := range files {
		fi, err := os.Stat(name)
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", name)
		}
		hdr := &zip.FileHeader{Name: filepath.Base(name), Method: zip.Deflate, Modified: when}
		hdr.SetMode(os.FileMode(mode(fi)))
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if err := copyFile(fw, name); err != nil {
			return err
		}
	}
	return zw.Close()
}

func copyFile(w io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

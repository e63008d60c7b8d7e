// Command dist does the two steps of a release that the go command does not:
// archives and SBOMs. hack/release.sh (and .goreleaser.yaml's sboms) call it.
//
//	go run ./hack/dist archive -o OUT.tar.gz|OUT.zip -time RFC3339 FILE...
//	go run ./hack/dist sbom -o OUT.cdx.json -time RFC3339 [-version V] BINARY
//
// Both outputs are reproducible: the same inputs and times give the same
// bytes (files in the order given, fixed modes, owners and times).
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dist archive|sbom -o OUT ...")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

func run(cmd string, args []string) error {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	out := fs.String("o", "", "output file")
	at := fs.String("time", "", "time recorded in the output (RFC 3339; the commit's, for reproducible output)")
	version := fs.String("version", "", "sbom: the release's version, for the main module")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		return fmt.Errorf("%s: want -o OUT and at least one input", cmd)
	}
	when := time.Unix(0, 0).UTC()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fmt.Errorf("-time %q: %v", *at, err)
		}
		when = t.UTC()
	}
	switch cmd {
	case "archive":
		return writeArchive(*out, fs.Args(), when)
	case "sbom":
		if fs.NArg() != 1 {
			return fmt.Errorf("sbom: one binary, got %d", fs.NArg())
		}
		return writeSBOM(*out, fs.Arg(0), *version, when)
	}
	return fmt.Errorf("unknown command %q: want archive or sbom", cmd)
}

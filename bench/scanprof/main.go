// Command scanprof runs one whole `aksguard scan` in this process (the same
// code path as the binary: cli.Main) under the CPU profiler, to show where a
// scan's time goes across reading, decoding, the controls and the report:
//
//	go run ./bench/scanprof -cpuprofile /tmp/scan.pprof -- scan --no-config -o json --fail-on none /tmp/k10k
//	go tool pprof -top /tmp/scan.pprof
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/aksguard/aksguard/internal/cli"
)

func main() {
	profile := flag.String("cpuprofile", "scan.pprof", "write the CPU profile to this file")
	flag.Parse()
	f, err := os.Create(*profile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := cli.Main(flag.Args(), os.Stdin, io.Discard, os.Stderr)
	pprof.StopCPUProfile()
	f.Close()
	os.Exit(code)
}

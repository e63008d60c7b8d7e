// Command scanprof runs one whole `aksguard scan` in this process (the same
// code path as the binary: cli.Main) under the CPU profiler, to show where a
// scan's time goes across reading, decoding, the controls and the report:
//
//	go run ./bench/scanprof -cpuprofile /tmp/scan.pprof -- scan --no-config -o json --fail-on none /tmp/k10k
//	go tool pprof -top /tmp/scan.pprof
//
// With -memprofile FILE it also writes a heap profile each time the live heap
// (as the last garbage collection measured it) passes its highest value so
// far by 5 %, so that FILE ends up holding the heap at (about) its peak:
// what a scan holds when its memory is highest.
//
//	go run ./bench/scanprof -cpuprofile /dev/null -memprofile /tmp/heap.pprof -- scan ... /tmp/k50k
//	go tool pprof -sample_index inuse_space -top /tmp/heap.pprof
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"

	"github.com/aksguard/aksguard/internal/cli"
)

func main() {
	profile := flag.String("cpuprofile", "scan.pprof", "write the CPU profile to this file")
	heap := flag.String("memprofile", "", "write a heap profile at the peak live heap to this file")
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
	stop := make(chan struct{})
	done := make(chan struct{})
	if *heap != "" {
		go watchHeap(*heap, stop, done)
	} else {
		close(done)
	}
	code := cli.Main(flag.Args(), os.Stdin, io.Discard, os.Stderr)
	close(stop)
	<-done
	pprof.StopCPUProfile()
	f.Close()
	os.Exit(code)
}

// watchHeap polls the live heap every 20 ms and writes a heap profile to
// path whenever it passes its highest value so far by 5 %; it prints the
// peak when stopped.
func watchHeap(path string, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var peak uint64
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			fmt.Fprintf(os.Stderr, "scanprof: peak live heap %.1f MB\n", float64(peak)/1e6)
			return
		case <-tick.C:
		}
		metrics.Read(sample)
		live := sample[0].Value.Uint64()
		if live < peak+peak/20 {
			continue
		}
		peak = live
		out, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		if err := pprof.Lookup("heap").WriteTo(out, 0); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		out.Close()
	}
}

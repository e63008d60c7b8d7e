// Command evaltime times the phases of a scan apart: loading (source.Load)
// and evaluating the controls (engine.Evaluate), with the engine's default
// workers or -workers N, and optionally writes a CPU profile of the
// evaluation, to tell the controls' cost from decoding's:
//
//	go run ./bench/evaltime -workers 1 -cpuprofile /tmp/eval.pprof /tmp/arm1k
//	go run ./bench/evaltime -count 10 -cpuprofile /tmp/eval.pprof /tmp/k10k
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/aksguard/aksguard/internal/check"
	_ "github.com/aksguard/aksguard/internal/checks" // registers the controls
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/source"
)

func main() {
	workers := flag.Int("workers", 0, "engine workers (0: GOMAXPROCS)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the evaluation to this file")
	counted := flag.Bool("count-passed", true, "count pass results instead of keeping them (as a scan without --include-passed)")
	memprofile := flag.String("memprofile", "", "write a heap profile after the evaluations to this file (-sample_index alloc_space -focus engine.Evaluate: what the evaluations allocated)")
	count := flag.Int("count", 1, "evaluate this many times (more samples for the profile)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: evaltime [-workers N] [-cpuprofile FILE] PATH...")
		os.Exit(2)
	}
	start := time.Now()
	inv := source.Load(flag.Args(), source.Options{})
	loaded := time.Since(start)
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	for range max(*count, 1) {
		start = time.Now()
		cpu := cpuTime()
		out := engine.Evaluate(inv, engine.Options{Settings: check.DefaultSettings(),
			Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), Workers: *workers, CountPassed: *counted})
		fmt.Printf("%d clusters, %d results (%d passes counted): load %.3fs, evaluate %.3fs (%.3f CPU-s)\n",
			len(inv.Clusters), len(out.Results), out.Passed, loaded.Seconds(), time.Since(start).Seconds(), (cpuTime() - cpu).Seconds())
	}
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		// A heap profile holds what the last completed collection
		// published: without one after the evaluations it misses them.
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// cpuTime is the user + system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

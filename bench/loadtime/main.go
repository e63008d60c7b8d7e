// Command loadtime times the loading phase of a scan alone (walking,
// reading and decoding the inputs into the inventory, no controls, no
// report), to tell decoding costs from the rest of `aksguard scan`.
//
//	go run ./bench/loadtime /tmp/k10k
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/aksguard/aksguard/internal/source"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtime PATH...")
		os.Exit(2)
	}
	start := time.Now()
	inv := source.Load(os.Args[1:], source.Options{Stdin: os.Stdin})
	elapsed := time.Since(start)
	objects := 0
	if inv.Kube != nil {
		objects = inv.Kube.Total()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("%d objects, %d clusters, %d errors in %.3fs; live heap %d MB, peak RSS %s\n",
		objects, len(inv.Clusters), len(inv.Errors), elapsed.Seconds(), ms.HeapAlloc>>20, peakRSS())
	runtime.KeepAlive(inv)
}

// peakRSS reads VmHWM from /proc (Linux); "?" elsewhere.
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

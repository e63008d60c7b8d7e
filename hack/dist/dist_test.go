package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

var when = time.Date(2026, 12, 3, 19, 35, 0, 0, time.UTC)

// TestArchive: the files land flat with fixed modes, owner and time, in
// the order given, and the same inputs give the same bytes.
func TestArchive(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "aksguard")
	lic := filepath.Join(dir, "LICENSE")
	must(t, os.WriteFile(bin, []byte("\x7fELF binary"), 0o700))
	must(t, os.WriteFile(lic, []byte("Apache License"), 0o600))
	for _, name := range []string{"a.tar.gz", "a.zip"} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name)
			must(t, run("archive", []string{"-o", out, "-time", when.Format(time.RFC3339), bin, lic}))
			first, _ := os.ReadFile(out)
			must(t, run("archive", []string{"-o", out, "-time", when.Format(time.RFC3339), bin, lic}))
			if second, _ := os.ReadFile(out); !bytes.Equal(first, second) {
				t.Error("two archives of the same files differ")
			}
			got := entries(t, out, first)
			want := []entry{{"aksguard", 0o755, "\x7fELF binary"}, {"LICENSE", 0o644, "Apache License"}}
			if len(got) != len(want) {
				t.Fatalf("entries %+v, want %+v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("entry %d: %+v, want %+v", i, got[i], want[i])
				}
			}
		})
	}
	for _, tc := range []struct{ name, out string }{
		{"unknown extension", filepath.Join(dir, "a.rar")},
		{"missing input", filepath.Join(dir, "b.tar.gz")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"-o", tc.out, bin}
			if tc.name == "missing input" {
				args = []string{"-o", tc.out, filepath.Join(dir, "nope")}
			}
			if err := run("archive", args); err == nil {
				t.Fatal("no error")
			}
			if _, err := os.Stat(tc.out); err == nil {
				t.Error("a failed archive was left behind")
			}
		})
	}
}

type entry struct {
	name string
	mode int64
	body string
}

func entries(t *testing.T, name string, b []byte) []entry {
	t.Helper()
	var got []entry
	if filepath.Ext(name) == ".zip" {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		must(t, err)
		for _, f := range zr.File {
			if !f.Modified.Equal(when) {
				t.Errorf("%s: time %v", f.Name, f.Modified)
			}
			rc, err := f.Open()
			must(t, err)
			body, _ := io.ReadAll(rc)
			got = append(got, entry{f.Name, int64(f.Mode().Perm()), string(body)})
		}
		return got
	}
	gz, err := gzip.NewReader(bytes.NewReader(b))
	must(t, err)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return got
		}
		must(t, err)
		if !h.ModTime.Equal(when) || h.Uid != 0 || h.Uname != "root" {
			t.Errorf("%s: time %v, owner %d %s", h.Name, h.ModTime, h.Uid, h.Uname)
		}
		body, _ := io.ReadAll(tr)
		got = append(got, entry{h.Name, h.Mode, string(body)})
	}
}

// TestSBOM: the SBOM names every module the build information records
// (go version -m), replacements resolved, with package URLs, and the
// standard library; build settings that may carry a build's own text
// (-ldflags, CGO_*FLAGS) are left out.
func TestSBOM(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Path: "github.com/aksguard/aksguard/cmd/aksguard",
		Main: debug.Module{Path: "github.com/aksguard/aksguard", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "github.com/spf13/cobra", Version: "v1.10.2", Sum: "h1:abc="},
			{Path: "example.com/old", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/new", Version: "v1.0.1", Sum: "h1:def="}},
		},
		Settings: []debug.BuildSetting{{Key: "-ldflags", Value: "-X main.token=s3cret"}, {Key: "CGO_CFLAGS", Value: "-Isecret"},
			{Key: "GOOS", Value: "linux"}, {Key: "vcs.revision", Value: "e61d659"}}}
	for _, tc := range []struct {
		name, version, mainPURL string
	}{
		{name: "release version given", version: "v1.2.3", mainPURL: "pkg:golang/github.com/aksguard/aksguard@v1.2.3"},
		{name: "devel build", mainPURL: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := buildSBOM(bi, tc.version, when)
			b, _ := json.Marshal(got)
			if got.BOMFormat != "CycloneDX" || got.SpecVersion != "1.5" || got.Metadata.Timestamp != "2026-12-03T19:35:00Z" {
				t.Errorf("header: %s", b)
			}
			if m := got.Metadata.Component; m.Name != "github.com/aksguard/aksguard" || m.PURL != tc.mainPURL {
				t.Errorf("main component: %+v", m)
			}
			var purls []string
			for _, c := range got.Components {
				purls = append(purls, c.PURL)
			}
			want := []string{"pkg:golang/stdlib@1.26.8", "pkg:golang/github.com/spf13/cobra@v1.10.2", "pkg:golang/example.com/new@v1.0.1"}
			if strings.Join(purls, " ") != strings.Join(want, " ") {
				t.Errorf("components %v, want %v", purls, want)
			}
			for _, leak := range []string{"s3cret", "-Isecret", "ldflags"} {
				if bytes.Contains(b, []byte(leak)) {
					t.Errorf("the SBOM publishes %q: %s", leak, b)
				}
			}
			if !bytes.Contains(b, []byte(`"go:build:vcs.revision","value":"e61d659"`)) {
				t.Errorf("no commit: %s", b)
			}
		})
	}
}

// TestSBOMOfBinary reads a real binary's build information: this test's.
func TestSBOMOfBinary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sbom.cdx.json")
	must(t, run("sbom", []string{"-o", out, "-time", when.Format(time.RFC3339), os.Args[0]}))
	b, err := os.ReadFile(out)
	must(t, err)
	var got bom
	must(t, json.Unmarshal(b, &got))
	if got.Metadata.Component.Name != "github.com/aksguard/aksguard" || len(got.Components) == 0 ||
		got.Components[0].PURL != "pkg:golang/stdlib@"+strings.TrimPrefix(runtime.Version(), "go") {
		t.Errorf("SBOM of the test binary: %s", b)
	}
	if err := run("sbom", []string{"-o", out, filepath.Join(t.TempDir(), "none")}); err == nil {
		t.Error("no error for a missing binary")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

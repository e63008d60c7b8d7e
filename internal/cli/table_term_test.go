package cli

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var updateTable = flag.Bool("update", false, "rewrite the table goldens under testdata/table")

// tableCase is one golden of the table report on an example: the layout at
// a width (0: the fixed layout of files and pipes).
type tableCase struct {
	example string
	width   int
}

func (c tableCase) golden() string {
	w := "fixed"
	if c.width > 0 {
		w = strconv.Itoa(c.width)
	}
	return filepath.Join("testdata", "table", c.example+"_"+w+".txt")
}

var tableCases = []tableCase{
	{"insecure", 0}, {"insecure", 80}, {"insecure", 200},
	{"hardened", 0}, {"hardened", 80}, {"hardened", 200},
}

// tableArgs scans an example as of a fixed date, without the working
// directory's configuration.
func tableArgs(example string) []string {
	return []string{"scan", "--no-config", today, "../../examples/" + example}
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateTable {
		must(t, os.MkdirAll(filepath.Dir(path), 0o755))
		must(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/cli/ -run TestTableExamples -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test ./internal/cli/ -run TestTableExamples -update rewrites it)\n--- got ---\n%s", path, got)
	}
}

// TestTableExamples: the table report on the examples at 80 and 200 columns
// (COLUMNS, the output not being a terminal) and in the fixed layout.
func TestTableExamples(t *testing.T) {
	for _, c := range tableCases {
		t.Run(filepath.Base(c.golden()), func(t *testing.T) {
			cols := ""
			if c.width > 0 {
				cols = strconv.Itoa(c.width)
			}
			t.Setenv("COLUMNS", cols)
			_, out, _ := runCLI(t, "", tableArgs(c.example)...)
			compareGolden(t, c.golden(), out)
		})
	}
}

// TestTableWidth: the terminal's width, else COLUMNS, else the fixed
// layout; a regular file is always the fixed layout.
func TestTableWidth(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "report.txt"))
	must(t, err)
	defer f.Close()
	for _, tc := range []struct {
		name    string
		columns string
		file    bool
		want    int
	}{
		{"COLUMNS", "132", false, 132},
		{"COLUMNS with spaces", " 90 ", false, 90},
		{"no COLUMNS", "", false, 0},
		{"bad COLUMNS", "wide", false, 0},
		{"negative COLUMNS", "-5", false, 0},
		{"regular file ignores COLUMNS", "132", true, 0},
	} {
		var w any = new(strings.Builder)
		if tc.file {
			w = f
		}
		if got := tableWidth(w.(interface{ Write([]byte) (int, error) }), tc.columns); got != tc.want {
			t.Errorf("%s: width %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestTableInTmux runs the built binary in tmux terminals 80 and 200
// columns wide on examples/insecure and compares the screen, with its
// scrollback, with the goldens: on a real terminal the width comes from the
// terminal, colour changes nothing but escapes (capture-pane drops them),
// and the progress line on standard error leaves nothing behind. `make test`
// installs tmux (hack/testtools.sh); without it the test skips, except in
// CI, where it fails.
func TestTableInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed: make testtools installs it")
		}
		t.Skip("tmux is not installed (apt-get install tmux, or make testtools): the terminal table is not tested in a terminal")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "aksguard")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/aksguard")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	conf := filepath.Join(dir, "tmux.conf")
	must(t, os.WriteFile(conf, []byte("set -g history-limit 100000\nset -g status off\n"), 0o644))
	sock := filepath.Join(dir, "tmux.sock")
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-S", sock, "-f", conf}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { tmux("kill-server") })
	wd, err := os.Getwd()
	must(t, err)

	for _, tc := range []struct {
		width   int
		noColor bool
	}{{80, false}, {200, false}, {80, true}} {
		t.Run(fmt.Sprintf("%d NO_COLOR=%v", tc.width, tc.noColor), func(t *testing.T) {
			c := tableCase{"insecure", tc.width}
			session := fmt.Sprintf("w%d-%v", tc.width, tc.noColor)
			rc := filepath.Join(dir, session+".rc")
			env := "unset COLUMNS NO_COLOR CI;"
			if tc.noColor {
				env += " export NO_COLOR=1;"
			}
			// The pane stays open after the scan (sleep) so that its
			// screen can be read; the exit code goes to a file.
			script := fmt.Sprintf("%s %s %s; echo $? > %s; exec sleep 600",
				env, shellQuote(bin), shellJoin(tableArgs(c.example)), shellQuote(rc))
			if out, err := tmux("new-session", "-d", "-s", session, "-x", strconv.Itoa(tc.width), "-y", "50", "-c", wd, "sh", "-c", script); err != nil {
				t.Fatalf("tmux new-session: %v\n%s", err, out)
			}
			// Wait for the exit code (polled a bounded number of times;
			// nothing is asserted about time).
			var code []byte
			for range 1200 {
				if code, err = os.ReadFile(rc); err == nil && len(code) > 0 {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if strings.TrimSpace(string(code)) != strconv.Itoa(ExitFindings) {
				screen, _ := tmux("capture-pane", "-p", "-S", "-", "-t", session)
				t.Fatalf("exit code %q, want %d; screen:\n%s", code, ExitFindings, screen)
			}
			// -J joins the lines the terminal wrapped: the only ones are
			// words longer than the line (a resource ID), which the table
			// writes whole rather than cut; every other line fits (the
			// in-process tests check that). -e keeps the colours: the
			// coloured screen has them, the NO_COLOR one none.
			styled, err := tmux("capture-pane", "-p", "-e", "-J", "-S", "-", "-E", "-", "-t", session)
			if err != nil {
				t.Fatalf("capture-pane: %v\n%s", err, styled)
			}
			if got := strings.Contains(styled, "\x1b["); got == tc.noColor {
				t.Errorf("colour escapes on the screen: %v, with NO_COLOR %v", got, tc.noColor)
			}
			screen, err := tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", session)
			if err != nil {
				t.Fatalf("capture-pane: %v\n%s", err, screen)
			}
			compareScreen(t, c.golden(), screen)
		})
	}
}

// compareScreen compares a captured pane (trailing empty rows trimmed) with
// a golden.
func compareScreen(t *testing.T, path, screen string) {
	t.Helper()
	got := strings.TrimRight(screen, "\n") + "\n"
	want, err := os.ReadFile(path)
	must(t, err)
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("the terminal shows something else than %s from line %d:\n got %q\nwant %q", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("the terminal shows %d lines, %s has %d", len(gl), path, len(wl))
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

// TestReadmeShowsTheTable: the 80-column table on the README's first screen
// is the start of the golden (paths as run from the repository root), so
// it cannot drift from what a scan prints.
func TestReadmeShowsTheTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	must(t, err)
	golden, err := os.ReadFile(tableCase{"insecure", 80}.golden())
	must(t, err)
	const open = "```\nSummary: "
	i := strings.Index(string(readme), open)
	if i < 0 {
		t.Fatal("README shows no table (a block starting with Summary:)")
	}
	block := string(readme)[i+len("```\n"):]
	block = block[:strings.Index(block, "```")]
	want := strings.ReplaceAll(string(golden), "../../examples/", "examples/")
	if !strings.HasPrefix(want, block) {
		t.Errorf("README's table is not the start of %s: regenerate the README's block from it\n--- README ---\n%s", tableCase{"insecure", 80}.golden(), block)
	}
}

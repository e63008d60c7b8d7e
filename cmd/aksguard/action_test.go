package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionSteps reads the scripts of action.yml's steps by name.
func actionSteps(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Runs struct {
			Steps []struct {
				Name string `yaml:"name"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	steps := map[string]string{}
	for _, s := range a.Runs.Steps {
		steps[s.Name] = s.Run
	}
	return steps
}

// TestActionScanStep runs the action's Scan and Verdict scripts as the
// runner does (bash -eo pipefail) with this executable as aksguard on the
// PATH: the SARIF report is written, the exit code reaches the step output
// even though -e is on, and the verdict step fails with it.
func TestActionScanStep(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the action's scripts are bash")
	}
	steps := actionSteps(t)
	bin := t.TempDir()
	if err := os.Symlink(os.Args[0], filepath.Join(bin, "aksguard")); err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Abs(filepath.Join(repoRoot, "examples"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, paths, args, failOn, code string
	}{
		{name: "findings", paths: filepath.Join(examples, "insecure"), args: "--no-config --today 2026-11-24", failOn: "high", code: "1"},
		{name: "clean", paths: filepath.Join(examples, "hardened"), args: "--no-config --today 2026-11-24", failOn: "high", code: "0"},
		{name: "findings below fail-on", paths: filepath.Join(examples, "insecure"), args: "--no-config", failOn: "none", code: "0"},
		{name: "no extra args", paths: filepath.Join(examples, "hardened") + " " + filepath.Join(examples, "hardened"), failOn: "critical", code: "0"},
		{name: "unreadable input", paths: filepath.Join(examples, "no-such-dir"), args: "--no-config", failOn: "high", code: "2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sarif, output := filepath.Join(dir, "aksguard.sarif"), filepath.Join(dir, "github-output")
			env := append(os.Environ(), runMainEnv+"=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
				"PATHS="+tc.paths, "ARGS="+tc.args, "FAIL_ON="+tc.failOn, "SARIF="+sarif, "GITHUB_OUTPUT="+output)
			scan := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", steps["Scan"])
			scan.Env, scan.Dir = env, dir
			if out, err := scan.CombinedOutput(); err != nil {
				t.Fatalf("the Scan step failed (it must record the code and go on): %v\n%s", err, out)
			}
			got, _ := os.ReadFile(output)
			if string(got) != "exit-code="+tc.code+"\n" {
				t.Errorf("step output %q, want exit-code=%s", got, tc.code)
			}
			if tc.code != "2" {
				var report struct {
					Version string `json:"version"`
					Runs    []any  `json:"runs"`
				}
				b, err := os.ReadFile(sarif)
				if err != nil || json.Unmarshal(b, &report) != nil || report.Version != "2.1.0" || len(report.Runs) == 0 {
					t.Errorf("SARIF report: %v\n%.300s", err, b)
				}
			}
			verdict := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", steps["Verdict"])
			verdict.Env = append(env, "CODE="+tc.code)
			out, _ := verdict.CombinedOutput()
			if code := verdict.ProcessState.ExitCode(); code != int(tc.code[0]-'0') {
				t.Errorf("Verdict exits %d, want %s\n%s", code, tc.code, out)
			}
			if tc.code != "0" && !strings.Contains(string(out), "::error::") {
				t.Errorf("Verdict says no error annotation:\n%s", out)
			}
		})
	}
}

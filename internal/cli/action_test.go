package cli

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/aksguard/aksguard/internal/check"
)

// githubAction is the part of action.yml the test reads.
type githubAction struct {
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name string            `yaml:"name"`
			Run  string            `yaml:"run"`
			Uses string            `yaml:"uses"`
			Env  map[string]string `yaml:"env"`
			If   string            `yaml:"if"`
		} `yaml:"steps"`
	} `yaml:"runs"`
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
}

// pendingFormats are report formats action.yml uses before writerFor
// accepts them (none now). Once writerFor accepts one, this test fails
// until its entry is removed, so the exception cannot outlive its reason.
var pendingFormats = map[string]bool{}

// TestActionFlags: every aksguard command line in action.yml uses only
// flags and values aksguard has, the inputs' defaults are valid, and no
// input is expanded into a script (they reach the scripts as environment
// variables, so an input cannot inject shell code).
func TestActionFlags(t *testing.T) {
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a githubAction
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using %q", a.Runs.Using)
	}
	root := newRoot(strings.NewReader(""), io.Discard, io.Discard)
	// aksguard run by name or by path ("$dir/aksguard" version), up to a
	// pipe, redirection or the end of the line.
	invocation := regexp.MustCompile(`(?m)(?:^|[\s;|&(/])aksguard"? ([a-z]+)((?: [^|>;&\n]*)?)`)
	commands := map[string]int{}
	var uploads int
	for _, step := range a.Runs.Steps {
		if strings.Contains(step.Run, "${{") {
			t.Errorf("step %q expands an expression inside its script: pass it through env", step.Name)
		}
		if strings.HasPrefix(step.Uses, "github/codeql-action/upload-sarif@") {
			uploads++
		}
		for _, m := range invocation.FindAllStringSubmatch(step.Run, -1) {
			sub, args := m[1], strings.Fields(m[2])
			cmd, _, err := root.Find([]string{sub})
			if err != nil || cmd == root {
				t.Errorf("step %q: aksguard %s: no such command", step.Name, sub)
				continue
			}
			commands[sub]++
			for i := 0; i < len(args); i++ {
				arg := args[i]
				if arg == "--" {
					break
				}
				if !strings.HasPrefix(arg, "-") {
					continue
				}
				name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
				flag := cmd.Flags().Lookup(name)
				if !strings.HasPrefix(arg, "--") {
					flag = cmd.Flags().ShorthandLookup(name)
				}
				if flag == nil {
					t.Errorf("step %q: aksguard %s has no flag %s", step.Name, sub, arg)
					continue
				}
				if flag.Value.Type() != "bool" && !hasValue && i+1 < len(args) {
					i++
					value = args[i]
				}
				switch {
				case sub == "scan" && flag.Name == "output":
					if _, err := writerFor(value); err != nil && !pendingFormats[value] {
						t.Errorf("step %q: scan -o %s: %v", step.Name, value, err)
					} else if err == nil && pendingFormats[value] {
						t.Errorf("scan -o %s is implemented now: remove it from pendingFormats", value)
					}
				case flag.Name == "fail-on" && !strings.HasPrefix(value, `"$`):
					if _, err := check.ParseSeverity(value); err != nil {
						t.Errorf("step %q: --fail-on %s: %v", step.Name, value, err)
					}
				}
			}
		}
	}
	if commands["scan"] < 2 || commands["version"] != 1 || uploads != 1 {
		t.Errorf("want the scan (SARIF and Markdown), a version check and one SARIF upload; got %v, %d uploads", commands, uploads)
	}
	if _, err := check.ParseSeverity(a.Inputs["fail-on"].Default); err != nil {
		t.Errorf("input fail-on default: %v", err)
	}
	for _, want := range []string{"paths", "fail-on", "args", "version", "sarif-file"} {
		if _, ok := a.Inputs[want]; !ok {
			t.Errorf("no input %s", want)
		}
	}
}

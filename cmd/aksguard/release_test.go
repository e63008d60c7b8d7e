package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// repoRoot is the repository: this package is cmd/aksguard.
const repoRoot = "../.."

// releaseConfig is what hack/release.sh --config prints: the targets and the
// go build command with VERSION, COMMIT and COMMIT_DATE unexpanded.
type releaseConfig struct {
	targets []string
	build   string
	ldflags string
}

func readReleaseScript(t *testing.T) releaseConfig {
	t.Helper()
	out, err := exec.Command("bash", filepath.Join(repoRoot, "hack/release.sh"), "--config").Output()
	if err != nil {
		t.Fatalf("hack/release.sh --config: %v", err)
	}
	var c releaseConfig
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		switch kind, rest, _ := strings.Cut(line, " "); kind {
		case "target":
			c.targets = append(c.targets, rest)
		case "build":
			c.build = rest
			m := regexp.MustCompile(`-ldflags "([^"]*)"`).FindStringSubmatch(rest)
			if m == nil {
				t.Fatalf("no -ldflags in %q", rest)
			}
			c.ldflags = m[1]
		default:
			t.Fatalf("hack/release.sh --config: unexpected line %q", line)
		}
	}
	return c
}

// goreleaser is the part of .goreleaser.yaml the tests compare.
type goreleaser struct {
	Version int `yaml:"version"`
	Builds  []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		ID              string   `yaml:"id"`
		IDs             []string `yaml:"ids"`
		NameTemplate    string   `yaml:"name_template"`
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	SBOMs []struct {
		Artifacts string   `yaml:"artifacts"`
		Documents []string `yaml:"documents"`
		Cmd       string   `yaml:"cmd"`
		Args      []string `yaml:"args"`
	} `yaml:"sboms"`
	Checksum struct {
		Algorithm string `yaml:"algorithm"`
	} `yaml:"checksum"`
	Krews []struct {
		Name             string   `yaml:"name"`
		IDs              []string `yaml:"ids"`
		Homepage         string   `yaml:"homepage"`
		ShortDescription string   `yaml:"short_description"`
		Description      string   `yaml:"description"`
		Caveats          string   `yaml:"caveats"`
	} `yaml:"krews"`
}

func readGoreleaser(t *testing.T) goreleaser {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var g goreleaser
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(false)
	if err := dec.Decode(&g); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if g.Version != 2 || len(g.Builds) != 1 || len(g.Archives) != 1 || len(g.SBOMs) != 1 || len(g.Krews) != 1 {
		t.Fatalf(".goreleaser.yaml: want version 2 with one build, archive, sbom and krew: %+v", g)
	}
	return g
}

// goreleaserTemplates maps .goreleaser.yaml's template values to the names
// hack/release.sh --config prints for the same values.
var goreleaserTemplates = strings.NewReplacer("v{{ .Version }}", "VERSION", "{{ .FullCommit }}", "COMMIT", "{{ .CommitDate }}", "COMMIT_DATE")

// TestReleaseConfigsAgree: goreleaser, hack/release.sh and the Dockerfile
// build the same targets with the same flags, so a binary from any route is
// the same program that says the same version.
func TestReleaseConfigsAgree(t *testing.T) {
	g, sh := readGoreleaser(t), readReleaseScript(t)
	b := g.Builds[0]

	var targets []string
	for _, os := range b.Goos {
		for _, arch := range b.Goarch {
			targets = append(targets, os+"/"+arch)
		}
	}
	slices.Sort(targets)
	shTargets := slices.Sorted(slices.Values(sh.targets))
	if !slices.Equal(targets, shTargets) {
		t.Errorf("targets: goreleaser %v, hack/release.sh %v", targets, shTargets)
	}
	for _, want := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"} {
		if !slices.Contains(shTargets, want) {
			t.Errorf("no %s release", want)
		}
	}
	if b.Main != "./cmd/aksguard" || b.Binary != "aksguard" || !strings.HasSuffix(sh.build, " ./cmd/aksguard") {
		t.Errorf("what is built: goreleaser %s as %s, hack/release.sh %q", b.Main, b.Binary, sh.build)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !strings.HasPrefix(sh.build, "CGO_ENABLED=0 ") {
		t.Errorf("not static: goreleaser env %v, hack/release.sh %q", b.Env, sh.build)
	}
	if !slices.Equal(b.Flags, []string{"-trimpath"}) || !strings.Contains(sh.build, " -trimpath ") {
		t.Errorf("flags: goreleaser %v, hack/release.sh %q", b.Flags, sh.build)
	}
	grLdflags := strings.Fields(goreleaserTemplates.Replace(strings.Join(b.Ldflags, " ")))
	if shLdflags := strings.Fields(sh.ldflags); !slices.Equal(grLdflags, shLdflags) {
		t.Errorf("ldflags:\n goreleaser      %v\n hack/release.sh %v", grLdflags, shLdflags)
	}
	for _, want := range []string{"-s", "-w", "github.com/aksguard/aksguard/internal/cli.Version=VERSION",
		"github.com/aksguard/aksguard/internal/cli.Commit=COMMIT", "github.com/aksguard/aksguard/internal/cli.CommitDate=COMMIT_DATE"} {
		if !slices.Contains(grLdflags, want) {
			t.Errorf("ldflags lack %s", want)
		}
	}

	a := g.Archives[0]
	if a.NameTemplate != "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}" || !slices.Equal(a.IDs, []string{b.ID}) ||
		!slices.Equal(a.Formats, []string{"tar.gz"}) || len(a.FormatOverrides) != 1 ||
		a.FormatOverrides[0].Goos != "windows" || !slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archives (hack/release.sh names them aksguard_NUMBER_OS_ARCH, .zip on windows): %+v", a)
	}
	script, err := os.ReadFile(filepath.Join(repoRoot, "hack/release.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `"$DIST/$name/$bin" ` + strings.Join(a.Files, " "); !bytes.Contains(script, []byte(want)) {
		t.Errorf("hack/release.sh does not archive the files goreleaser does (%v): want %q", a.Files, want)
	}
	for _, f := range a.Files {
		if _, err := os.Stat(filepath.Join(repoRoot, f)); err != nil {
			t.Errorf("archived file: %v", err)
		}
	}
	s := g.SBOMs[0]
	if s.Artifacts != "binary" || s.Cmd != "go" || !slices.Contains(s.Args, "github.com/aksguard/aksguard/hack/dist") ||
		!slices.Contains(s.Args, "$artifact") || !slices.Contains(s.Args, "$document") || !bytes.Contains(script, []byte(`.dist" sbom -o`)) {
		t.Errorf("SBOMs: goreleaser and hack/release.sh both use hack/dist sbom: %+v", s)
	}
	if g.Checksum.Algorithm != "sha256" || !bytes.Contains(script, []byte("sha256sum")) {
		t.Errorf("checksums: %+v", g.Checksum)
	}
}

// TestDockerfile: the image is built by hack/release.sh --binary (so with the
// release's flags) on the Go of go.mod, and runs as a non-root user on a
// minimal base that has CA certificates.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if goVersion == nil {
		t.Fatal("no go line in go.mod")
	}
	// Continued lines joined, comments dropped.
	text := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(string(b), "")
	var froms, runs, users, entry []string
	for _, line := range strings.Split(text, "\n") {
		kw, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch strings.ToUpper(kw) {
		case "FROM":
			froms = append(froms, rest)
		case "RUN":
			runs = append(runs, rest)
		case "USER":
			users = append(users, rest)
		case "ENTRYPOINT":
			entry = append(entry, rest)
		}
	}
	if len(froms) != 2 || !strings.Contains(froms[0], "golang:"+string(goVersion[1])+" ") {
		t.Errorf("build stage: want golang:%s (go.mod's Go), got %v", goVersion[1], froms)
	}
	if len(froms) == 2 && froms[1] != "gcr.io/distroless/static-debian12:nonroot" && froms[1] != "scratch" {
		t.Errorf("final stage %q: want distroless static (CA certificates, non-root user)", froms[1])
	}
	var built bool
	for _, r := range runs {
		if strings.Contains(r, "./hack/release.sh --binary /out/aksguard") && strings.Contains(r, "GOOS=$TARGETOS GOARCH=$TARGETARCH") {
			built = true
		}
		if strings.Contains(r, "go build") {
			t.Errorf("the Dockerfile builds with go build itself (use hack/release.sh --binary): %s", r)
		}
	}
	if !built {
		t.Errorf("no RUN ./hack/release.sh --binary /out/aksguard with the target platform: %v", runs)
	}
	if len(users) != 1 || strings.HasPrefix(users[0], "0") || strings.HasPrefix(users[0], "root") {
		t.Errorf("USER %v: want a non-root user", users)
	}
	if len(entry) != 1 || !strings.Contains(text, "COPY --from=build /out/aksguard "+strings.Trim(entry[0], `[]"`)+"\n") {
		t.Errorf("ENTRYPOINT %v is not the binary the build stage copies", entry)
	}
}

// krewManifest is a krew plugin manifest (v1alpha2).
type krewManifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Version          string `yaml:"version"`
		Homepage         string `yaml:"homepage"`
		ShortDescription string `yaml:"shortDescription"`
		Description      string `yaml:"description"`
		Caveats          string `yaml:"caveats"`
		Platforms        []struct {
			Selector struct {
				MatchLabels map[string]string `yaml:"matchLabels"`
			} `yaml:"selector"`
			URI    string `yaml:"uri"`
			SHA256 string `yaml:"sha256"`
			Bin    string `yaml:"bin"`
		} `yaml:"platforms"`
	} `yaml:"spec"`
}

// TestKrewManifest: deploy/krew/aksguard.yaml, filled in as hack/release.sh
// fills it, is a krew manifest with one platform per release target whose
// archive, hash and binary are the release's; goreleaser's krews section
// says the same.
func TestKrewManifest(t *testing.T) {
	tmpl, err := os.ReadFile(filepath.Join(repoRoot, "deploy/krew/aksguard.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sh := readReleaseScript(t)
	filled := strings.NewReplacer("@VERSION@", "v1.2.3", "@NUMBER@", "1.2.3").Replace(string(tmpl))
	sums := map[string]string{}
	for i, target := range sh.targets {
		sum := fmt.Sprintf("%064x", i+1)
		sums[target] = sum
		filled = strings.ReplaceAll(filled, "@SHA256_"+strings.Replace(target, "/", "_", 1)+"@", sum)
	}
	if left := regexp.MustCompile(`@[A-Za-z0-9_]+@`).FindAllString(filled, -1); len(left) > 0 {
		t.Fatalf("placeholders left after filling every target: %s", left)
	}
	var m krewManifest
	dec := yaml.NewDecoder(strings.NewReader(filled))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("deploy/krew/aksguard.yaml: %v", err)
	}
	if m.APIVersion != "krew.googlecontainertools.github.com/v1alpha2" || m.Kind != "Plugin" || m.Metadata.Name != "aksguard" || m.Spec.Version != "v1.2.3" {
		t.Errorf("manifest header: %+v", m)
	}
	seen := map[string]bool{}
	for _, p := range m.Spec.Platforms {
		target := p.Selector.MatchLabels["os"] + "/" + p.Selector.MatchLabels["arch"]
		seen[target] = true
		os, arch, _ := strings.Cut(target, "/")
		ext, bin := "tar.gz", "aksguard"
		if os == "windows" {
			ext, bin = "zip", "aksguard.exe"
		}
		wantURI := "https://github.com/aksguard/aksguard/releases/download/v1.2.3/aksguard_1.2.3_" + os + "_" + arch + "." + ext
		if p.URI != wantURI || p.SHA256 != sums[target] || p.Bin != bin {
			t.Errorf("%s: uri %s sha256 %s bin %s; want %s %s %s", target, p.URI, p.SHA256, p.Bin, wantURI, sums[target], bin)
		}
	}
	if len(seen) != len(sh.targets) || len(m.Spec.Platforms) != len(sh.targets) {
		t.Errorf("platforms %v, release targets %v", seen, sh.targets)
	}
	k := readGoreleaser(t).Krews[0]
	if k.Name != m.Metadata.Name || k.Homepage != m.Spec.Homepage || k.ShortDescription != m.Spec.ShortDescription ||
		k.Description != m.Spec.Description || k.Caveats != m.Spec.Caveats {
		t.Errorf(".goreleaser.yaml krews and deploy/krew/aksguard.yaml differ:\n%+v\n%+v", k, m.Spec)
	}
}

// TestVersionFromBuild builds aksguard the two ways users get it and runs
// `version`: with go build in a git checkout (the commit, its time and the
// module's pseudo-version come from the go command's build information) and
// with the release's -ldflags (the values hack/release.sh passes win). The
// checkout is a temporary git repository holding this module's sources as
// they are now, committed at a fixed time.
func TestVersionFromBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds aksguard twice")
	}
	dir := checkoutForBuild(t)
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE=2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2026-01-02T03:04:05Z",
			"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "-A")
	git("-c", "user.name=aksguard test", "-c", "user.email=test@aksguard.invalid", "commit", "-q", "-m", "build")
	rev := git("rev-parse", "HEAD")

	release := strings.NewReplacer("VERSION", "v9.9.9", "COMMIT_DATE", "2026-12-31T23:59:59Z", "COMMIT", "feedfacefeedfacefeedfacefeedfacefeedface").
		Replace(readReleaseScript(t).ldflags)
	for _, tc := range []struct {
		name    string
		ldflags string
		check   func(info map[string]any) string
	}{
		{name: "go build in a checkout", check: func(info map[string]any) string {
			if v, _ := info["version"].(string); !strings.HasPrefix(v, "v0.0.0-20260102030405-") || !strings.HasSuffix(v, rev[:12]) ||
				info["commit"] != rev || info["commitDate"] != "2026-01-02T03:04:05Z" || info["modified"] != nil {
				return fmt.Sprintf("want the pseudo-version of %s, that commit and its time, unmodified", rev)
			}
			return ""
		}},
		{name: "release build", ldflags: release, check: func(info map[string]any) string {
			if info["version"] != "v9.9.9" || info["commit"] != "feedfacefeedfacefeedfacefeedfacefeedface" || info["commitDate"] != "2026-12-31T23:59:59Z" {
				return "want the -X values of hack/release.sh's ldflags"
			}
			return ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := filepath.Join(t.TempDir(), "aksguard")
			build := exec.Command("go", "build", "-ldflags", tc.ldflags, "-o", bin, "./cmd/aksguard")
			build.Dir = dir
			// -buildvcs=true: a machine's go env may turn stamping off; the
			// module cache only, nothing fetched.
			build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true -mod=readonly", "GOPROXY=off", "GIT_CONFIG_NOSYSTEM=1")
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(bin, "version", "-o", "json").Output()
			if err != nil {
				t.Fatalf("version -o json: %v", err)
			}
			var info map[string]any
			if err := json.Unmarshal(out, &info); err != nil {
				t.Fatalf("version -o json: %v\n%s", err, out)
			}
			if msg := tc.check(info); msg != "" {
				t.Errorf("%s; got %s", msg, out)
			}
			text, err := exec.Command(bin, "version").Output()
			if err != nil || !strings.HasPrefix(string(text), "aksguard "+info["version"].(string)+"\n") ||
				!strings.Contains(string(text), "commit:   "+info["commit"].(string)+"\n") {
				t.Errorf("version: %v\n%s", err, text)
			}
		})
	}
}

// checkoutForBuild copies what building ./cmd/aksguard needs (go.mod,
// go.sum, and the Go and embedded files of every package of this module it
// imports, as `go list -deps` names them) into a new directory.
func checkoutForBuild(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	list := exec.Command("go", "list", "-deps", "-f",
		`{{if .Module}}{{if .Module.Main}}{{.Dir}}{{range .GoFiles}}|{{.}}{{end}}{{range .EmbedFiles}}|{{.}}{{end}}{{end}}{{end}}`, "./cmd/aksguard")
	list.Dir = root
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dir := t.TempDir()
	copyFile := func(rel string) {
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("go.mod")
	copyFile("go.sum")
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Split(line, "|")
		pkg, err := filepath.Rel(root, fields[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fields[1:] {
			copyFile(filepath.Join(pkg, f))
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d files to copy: go list found too few packages", n)
	}
	return dir
}

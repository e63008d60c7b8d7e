package cli

import (
	"bytes"
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"
)

// TestReadBuildInfo: the version and commit come from the go command's
// build information unless a release build set them with -X.
// cmd/aksguard's TestVersionFromBuild builds real binaries for the same.
func TestReadBuildInfo(t *testing.T) {
	vcs := func(rev, at, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "-trimpath", Value: "true"}, {Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: at}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "e61d6596bbada366e3e5fa08634478c4c3c9cae4"
	for _, tc := range []struct {
		name                   string
		bi                     *debug.BuildInfo
		xVersion, xCommit, xAt string
		want                   buildInfo
	}{
		{name: "no build info", want: buildInfo{Version: "dev"}},
		{name: "go run: devel, no vcs", bi: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			want: buildInfo{Version: "dev", GoVersion: "go1.26.8"}},
		{name: "go install module@v1.2.3", bi: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}},
			want: buildInfo{Version: "v1.2.3", GoVersion: "go1.26.8"}},
		{name: "go build in a clean checkout", bi: &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Version: "v0.0.0-20261203193500-e61d6596bbad"}, Settings: vcs(rev, "2026-12-03T19:35:00Z", "false")},
			want: buildInfo{Version: "v0.0.0-20261203193500-e61d6596bbad", Commit: rev, CommitDate: "2026-12-03T19:35:00Z", GoVersion: "go1.26.8"}},
		{name: "go build with uncommitted changes", bi: &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Version: "v0.0.0-20261203193500-e61d6596bbad+dirty"}, Settings: vcs(rev, "2026-12-03T19:35:00Z", "true")},
			want: buildInfo{Version: "v0.0.0-20261203193500-e61d6596bbad+dirty", Commit: rev, CommitDate: "2026-12-03T19:35:00Z", Modified: true, GoVersion: "go1.26.8"}},
		{name: "release build: -X wins over build info", bi: &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "2026-12-03T19:35:00Z", "true")},
			xVersion: "v1.0.0", xCommit: "abc123", xAt: "2026-12-01T00:00:00Z",
			want: buildInfo{Version: "v1.0.0", Commit: "abc123", CommitDate: "2026-12-01T00:00:00Z", GoVersion: "go1.26.8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			Version, Commit, CommitDate = tc.xVersion, tc.xCommit, tc.xAt
			t.Cleanup(func() { Version, Commit, CommitDate = "", "", "" })
			got := readBuildInfo(tc.bi)
			tc.want.Platform = got.Platform // the test binary's own
			if tc.want.GoVersion == "" {
				tc.want.GoVersion = got.GoVersion
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestVersionCommand: text leads with "aksguard VERSION" (scripts read the
// first line); -o json carries the same fields; another -o is refused.
func TestVersionCommand(t *testing.T) {
	Version, Commit, CommitDate = "v9.8.7", "0123456789abcdef0123456789abcdef01234567", "2026-12-03T19:35:00Z"
	t.Cleanup(func() { Version, Commit, CommitDate = "", "", "" })

	code, out, _ := runCLI(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "aksguard v9.8.7\n") || !strings.Contains(out, "commit:   0123456789abcdef0123456789abcdef01234567\n") ||
		!strings.Contains(out, "date:     2026-12-03T19:35:00Z\n") || !strings.Contains(out, "go:       go") {
		t.Errorf("version: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "version", "-o", "json")
	var got buildInfo
	if err := json.NewDecoder(bytes.NewReader([]byte(out))).Decode(&got); code != 0 || err != nil {
		t.Fatalf("version -o json: %d %v\n%s", code, err, out)
	}
	if got.Version != "v9.8.7" || got.Commit != Commit || got.CommitDate != CommitDate || got.GoVersion == "" || got.Platform == "" {
		t.Errorf("version -o json: %+v", got)
	}
	if code, _, errOut := runCLI(t, "", "version", "-o", "yaml"); code != ExitError || !strings.Contains(errOut, `-o "yaml": want text or json`) {
		t.Errorf("version -o yaml: %d %s", code, errOut)
	}
}

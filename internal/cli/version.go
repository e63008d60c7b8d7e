package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Release builds set these with -ldflags "-X" (.goreleaser.yaml,
// hack/release.sh and the Dockerfile use the same flags):
//
//	-X github.com/aksguard/aksguard/internal/cli.Version=v1.2.3
//	-X github.com/aksguard/aksguard/internal/cli.Commit=<full commit>
//	-X github.com/aksguard/aksguard/internal/cli.CommitDate=<RFC 3339>
//
// Empty, each is taken from the build information the go command records
// (runtime/debug.ReadBuildInfo): the module version (a tag, or a
// pseudo-version of the commit, for go install and go build in a checkout)
// and the vcs.revision, vcs.time and vcs.modified settings.
var (
	Version    = ""
	Commit     = ""
	CommitDate = ""
)

// buildInfo is what `aksguard version` reports (-o json: these keys).
type buildInfo struct {
	Version    string `json:"version"`
	Commit     string `json:"commit,omitempty"`
	CommitDate string `json:"commitDate,omitempty"`
	// Modified: the checkout had uncommitted changes when it was built.
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

// readBuildInfo combines the -X values with the go command's build
// information (bi may be nil: a binary built without module support).
func readBuildInfo(bi *debug.BuildInfo) buildInfo {
	info := buildInfo{Version: Version, Commit: Commit, CommitDate: CommitDate,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			info.GoVersion = bi.GoVersion
		}
		vcs := map[string]string{}
		for _, s := range bi.Settings {
			vcs[s.Key] = s.Value
		}
		if info.Commit == "" {
			info.Commit = vcs["vcs.revision"]
			info.Modified = vcs["vcs.modified"] == "true"
		}
		if info.CommitDate == "" {
			info.CommitDate = vcs["vcs.time"]
		}
	}
	if info.Version == "" {
		info.Version = "dev"
	}
	return info
}

func currentBuildInfo() buildInfo {
	bi, _ := debug.ReadBuildInfo()
	return readBuildInfo(bi)
}

// version is the version the reports carry (JSON, SARIF tool version).
func version() string { return currentBuildInfo().Version }

// writeText prints the version on the first line ("aksguard v1.2.3"),
// then what it was built from.
func (b buildInfo) writeText(w io.Writer) error {
	s := fmt.Sprintf("aksguard %s\n", b.Version)
	if b.Commit != "" {
		commit := b.Commit
		if b.Modified {
			commit += " (modified)"
		}
		s += fmt.Sprintf("  commit:   %s\n", commit)
	}
	if b.CommitDate != "" {
		s += fmt.Sprintf("  date:     %s\n", b.CommitDate)
	}
	s += fmt.Sprintf("  go:       %s %s\n", b.GoVersion, b.Platform)
	_, err := io.WriteString(w, s)
	return err
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print aksguard's version and the commit it was built from",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			info := currentBuildInfo()
			switch output {
			case "text", "":
				return info.writeText(stdout)
			case "json":
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			}
			return fmt.Errorf("-o %q: want text or json", output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	return cmd
}

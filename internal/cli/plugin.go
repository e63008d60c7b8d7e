package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
)

// pluginExecutable is the name kubectl looks for to run `kubectl aksguard`
// (krew installs the binary under it: deploy/krew/aksguard.yaml).
const pluginExecutable = "kubectl-aksguard"

// displayName is the command name the usage lines and examples show: the
// way the user ran it. kubectl runs a plugin with its path as argv[0].
func displayName(argv0 string) string {
	base := strings.ToLower(filepath.Base(argv0))
	if strings.TrimSuffix(base, ".exe") == pluginExecutable {
		return "kubectl aksguard"
	}
	return "aksguard"
}

// setDisplayName names the root command for its usage lines (cobra's
// display name) and rewrites the examples of every command to match.
func setDisplayName(root *cobra.Command, argv0 string) {
	name := displayName(argv0)
	if name == root.Name() {
		return
	}
	if root.Annotations == nil {
		root.Annotations = map[string]string{}
	}
	root.Annotations[cobra.CommandDisplayNameAnnotation] = name
	command := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(root.Name()) + ` `)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Example = command.ReplaceAllString(c.Example, "${1}"+name+" ")
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// programName is argv[0]; a variable so that tests can name it.
var programName = func() string {
	if len(os.Args) == 0 {
		return ""
	}
	return os.Args[0]
}

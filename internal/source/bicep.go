package source

import (
	"path/filepath"
	"sort"

	"github.com/aksguard/aksguard/internal/bicep"
	"github.com/aksguard/aksguard/internal/inventory"
)

// Bicep files are compiled after every input is read, because whether a
// .bicep file met while walking a directory is a deployment of its own
// depends on the other files: a file that another file of the scan uses as
// a module (directly or through other modules), or that a .bicepparam file
// of the scan names in its using statement, is read as part of that file
// and gives no cluster of its own, since its parameters would be read with
// their defaults rather than the values its caller gives (the same cluster
// twice, one of them with values nobody deploys). A file named explicitly
// is always compiled. Of files that use each other in a cycle and that no
// other deployment reads, the first by path is compiled (reading the
// others as its modules, the cycle an error where it closes), so none is
// lost and none read twice.

// bicepResult is the batch of one compiled root file.
type bicepResult struct {
	path  string
	batch *inventory.Batch
}

// decodeBicep compiles the .bicep and .bicepparam files of the scan and
// returns the batches of the roots, in path order.
func decodeBicep(inputs []*input, opts *Options) []bicepResult {
	if len(inputs) == 0 {
		return nil
	}
	sort.SliceStable(inputs, func(i, j int) bool { return inputs[i].path < inputs[j].path })
	type compiled struct {
		in    *input
		batch *inventory.Batch
		uses  []string // cleaned paths of the files it reads as modules (or uses)
	}
	var all []compiled
	used := map[string]bool{}
	for _, in := range inputs {
		b, t := bicep.DecodeWith(in.path, in.bicep, bicep.Options{ReadFile: bicep.ReadFile, Params: opts.TemplateParameters, RegistryModules: opts.BicepModules})
		in.bicep = nil
		c := compiled{in: in, batch: b}
		if t != nil {
			self := filepath.Clean(in.path)
			for _, f := range t.Files {
				if f != self {
					c.uses = append(c.uses, f)
					used[f] = true
				}
			}
		}
		all = append(all, c)
	}
	covered := map[string]bool{}
	keep := make([]bool, len(all))
	pass := func(cond func(c compiled) bool) {
		for i, c := range all {
			if keep[i] || !cond(c) {
				continue
			}
			keep[i] = true
			for _, f := range c.uses {
				covered[f] = true
			}
		}
	}
	pass(func(c compiled) bool { return c.in.explicit || !used[filepath.Clean(c.in.path)] })
	pass(func(c compiled) bool { return !covered[filepath.Clean(c.in.path)] })
	// A module several deployments use gives the same error in each:
	// said once.
	said := map[inventory.InputError]bool{}
	var out []bicepResult
	for i, c := range all {
		if keep[i] {
			errs := c.batch.Errors[:0]
			for _, e := range c.batch.Errors {
				if !said[e] {
					said[e] = true
					errs = append(errs, e)
				}
			}
			c.batch.Errors = errs
			out = append(out, bicepResult{path: c.in.path, batch: c.batch})
			continue
		}
		out = append(out, bicepResult{path: c.in.path, batch: &inventory.Batch{Skipped: bicepModuleSkipped}})
	}
	return out
}

// bicepModuleSkipped is the skip reason of a Bicep file that another file
// of the scan uses as a module or names in its using statement.
const bicepModuleSkipped = "Bicep file used as a module (or by a .bicepparam file) of another file of the scan: read as part of it"

package bicep

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
)

// IsBicep reports whether a file name is a Bicep file (.bicep) or a Bicep
// parameters file (.bicepparam).
func IsBicep(name string) bool {
	l := strings.ToLower(name)
	return strings.HasSuffix(l, ".bicep") || strings.HasSuffix(l, ".bicepparam")
}

// IsParams reports whether a file name is a Bicep parameters file.
func IsParams(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".bicepparam") }

// Decode compiles a .bicep or .bicepparam file (src its text; readFile
// reads the modules, imports and loaded files it names) and reads the AKS
// resources of the template through the ARM template reader. params are
// parameter values from a JSON parameters file (--parameters); they
// override the defaults and the values of a .bicepparam file. The batch
// also carries the files compiled as modules (Modules), so that a scan can
// tell which files are used by another.
func Decode(path string, src []byte, readFile func(string) ([]byte, error), params map[string]*jsontree.Node) (*inventory.Batch, *Template) {
	return DecodeWith(path, src, Options{ReadFile: readFile, Params: params})
}

// DecodeWith is Decode with all the options.
func DecodeWith(path string, src []byte, o Options) (*inventory.Batch, *Template) {
	if o.ReadFile == nil {
		o.ReadFile = ReadFile
	}
	params := o.Params
	var t *Template
	var errs []inventory.InputError
	if IsParams(path) {
		t, errs = compileParamsWith(path, src, o)
	} else {
		t, errs = compileWith(path, src, o)
	}
	if t == nil {
		return &inventory.Batch{Errors: errs}, nil
	}
	given := map[string]*jsontree.Node{}
	for k, v := range t.Params {
		given[k] = v
	}
	for k, v := range params {
		given[k] = v
	}
	b := arm.DecodeTemplateWith(t.Root, path, given, arm.TemplateOptions{Format: inventory.FormatBicep, Origins: t.Origins, Unread: t.Unread, Address: func(c *inventory.Cluster, p *inventory.AgentPool, addr string) {
		// The address runs from the deployment's Bicep file (the file
		// scanned, or the .bicepparam file's using target) through module
		// calls.
		if c != nil {
			c.BicepAddress, c.BicepFile = addr, t.RootFile
		}
		if p != nil {
			p.BicepAddress = addr
		}
	}})
	b.Errors = append(errs, b.Errors...)
	if b.Skipped != "" && len(b.Errors) == 0 {
		b.Skipped = "Bicep file without AKS clusters or the resources around them (agent pools, diagnostic settings, maintenance configurations, container registries)"
	} else if b.Skipped != "" {
		b.Skipped = ""
	}
	return b, t
}

// ReadFile reads a module, imported or loaded file: a regular file (a
// symbolic link is followed, as the Bicep compiler does) of at most
// maxFileBytes.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if st.Size() > maxFileBytes {
		return nil, fmt.Errorf("it is larger than %d MiB, more than aksguard reads for one Bicep file", maxFileBytes>>20)
	}
	return io.ReadAll(io.LimitReader(f, maxFileBytes+1))
}

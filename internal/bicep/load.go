package bicep

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"

	"github.com/aksguard/aksguard/internal/bicep/syntax"
	"github.com/aksguard/aksguard/internal/jsontree"
)

// loadContent compiles loadTextContent, loadFileAsBase64 and
// loadJsonContent: the Bicep compiler reads the file (relative to the
// Bicep file) when it builds the template, so aksguard reads it too,
// within the byte caps of the files a deployment reads. A file that cannot
// be read is an input error at the call, and the value is unknown.
func (fc *fileCtx) loadContent(x *syntax.CallExpr, en *env) string {
	name := x.Name.Name
	if len(x.Args) == 0 {
		return unsupported(name + "() without a file")
	}
	lit, ok := x.Args[0].(*syntax.StringLit)
	p, ok2 := "", false
	if ok {
		p, ok2 = lit.Value()
	}
	if !ok2 {
		fc.c.errorf(fc.path, x.Line, "%s(): the file must be a string literal (Bicep requires it); aksguard does not read it", name)
		return unsupported(name + "() of a computed path")
	}
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") {
		fc.c.errorf(fc.path, x.Line, "%s(%q): aksguard reads only files relative to the Bicep file", name, clip(p))
		return unsupported(name + "() of an absolute path")
	}
	target := filepath.Join(fc.dir, filepath.FromSlash(p))
	if !fc.c.inRepo(target) {
		fc.c.errorf(fc.path, x.Line, "%s(%q): the file is outside the repository (%s); aksguard reads only files inside it, so what uses its content is unknown", name, clip(p), fc.c.repo)
		return unsupported(name + "() of a file outside the repository")
	}
	data, err := fc.c.read(target)
	if err != nil {
		fc.c.errorf(fc.path, x.Line, "%s(%q): %v; what uses its content is unknown", name, clip(p), readErr(err))
		return unsupported(name + "() of a file aksguard could not read")
	}
	switch strings.ToLower(name) {
	case "loadtextcontent":
		return quote(strings.TrimPrefix(string(data), "\ufeff"))
	case "loadfileasbase64":
		return quote(base64.StdEncoding.EncodeToString(data))
	case "loadjsoncontent":
		if len(x.Args) > 1 {
			return unsupported("loadJsonContent() with a JSON path")
		}
		root, err := jsontree.Parse(data)
		if err != nil {
			fc.c.errorf(fc.path, x.Line, "loadJsonContent(%q): not valid JSON (%v)", clip(p), err)
			return unsupported("loadJsonContent() of a file that is not JSON")
		}
		return jsonExpr(root, 0)
	}
	return unsupported(name + "()")
}

// jsonExpr writes a JSON value as an ARM expression.
func jsonExpr(n *jsontree.Node, depth int) string {
	if depth > 64 {
		return unsupported("JSON nested too deep")
	}
	switch n.Kind {
	case jsontree.Null:
		return "null()"
	case jsontree.Bool:
		if n.Bool {
			return "true()"
		}
		return "false()"
	case jsontree.Number:
		if _, ok := n.AsInt(); ok {
			return n.Str
		}
		return call("json", quote(n.Str))
	case jsontree.String:
		return quote(n.Str)
	case jsontree.Array:
		args := make([]string, len(n.Items))
		for i, it := range n.Items {
			args[i] = jsonExpr(it, depth+1)
		}
		return call("createArray", args...)
	}
	args := make([]string, 0, 2*len(n.Members))
	for _, m := range n.Members {
		args = append(args, quote(m.Key), jsonExpr(m.Value, depth+1))
	}
	return call("createObject", args...)
}

// repoOf is the repository a Bicep file is in: the nearest folder above it
// holding .git (symbolic links resolved), "" when there is none.
func repoOf(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	if r, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(r, filepath.Base(abs))
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		if parent := filepath.Dir(dir); parent == dir {
			return ""
		}
	}
}

// inRepo reports whether a file (symbolic links resolved) is inside the
// repository, when one was found; a file that does not exist passes here
// and fails when read.
func (c *compiler) inRepo(path string) bool {
	if c.repo == "" {
		return true
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	rel, err := filepath.Rel(c.repo, abs)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

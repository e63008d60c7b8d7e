package helmengine

import (
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"text/template"
	"text/template/parse"
)

// Limits bound one chart's rendering. Counts and sizes, never time: the
// same chart ends at the same place on any machine.
type Limits struct {
	// MaxSteps: template and include calls, range iterations, function
	// calls (and the elements of lists the functions build).
	MaxSteps int64
	// MaxBytes: the bytes templates write (into their output or an
	// include's) plus the bytes functions return.
	MaxBytes int64
	// MaxDepth: include and tpl calls nested in one another.
	MaxDepth int
	// MaxList: the elements of one list until, untilStep or seq builds.
	MaxList int64
	// MaxExpensive: calls of the functions that generate keys and
	// certificates or hash passwords (a 4096-bit RSA key takes a second).
	MaxExpensive int
}

// DefaultLimits are generous for real charts (the largest public charts
// take well under a tenth of each) and end a hostile one in a few seconds
// and a few hundred MiB at most.
var DefaultLimits = Limits{MaxSteps: 5_000_000, MaxBytes: 256 << 20, MaxDepth: 1000, MaxList: 100_000, MaxExpensive: 8}

// ErrBudget is the error a render ends with past one of its limits.
type ErrBudget struct {
	What  string // "steps", "bytes", "nesting", "list"
	Limit int64
	Func  string // the function that asked for more, if any
}

func (e *ErrBudget) Error() string {
	by := ""
	if e.Func != "" {
		by = " (in " + e.Func + ")"
	}
	switch e.What {
	case "steps":
		return fmt.Sprintf("the chart's templates take more than %d evaluation steps%s (a loop, include or recursion too large): not rendered", e.Limit, by)
	case "bytes":
		return fmt.Sprintf("the chart's templates produce more than %d MiB%s: not rendered", e.Limit>>20, by)
	case "nesting":
		return fmt.Sprintf("the chart's templates nest include/tpl more than %d deep%s: not rendered", e.Limit, by)
	case "expensive":
		return fmt.Sprintf("the chart's templates generate keys, certificates or password hashes more than %d times%s: not rendered", e.Limit, by)
	default:
		return fmt.Sprintf("%s builds a list of more than %d elements: not rendered", e.Func, e.Limit)
	}
}

type budget struct {
	lim          Limits
	steps, bytes int64
	depth        int
	expensive    int
	exceeded     *ErrBudget
	instrumented map[*parse.Tree]bool
	stepNode     parse.Node
}

const stepFunc = "aksguardBudgetStep"

func newBudget(lim Limits) *budget {
	if lim.MaxSteps <= 0 {
		lim.MaxSteps = DefaultLimits.MaxSteps
	}
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = DefaultLimits.MaxBytes
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = DefaultLimits.MaxDepth
	}
	if lim.MaxList <= 0 {
		lim.MaxList = DefaultLimits.MaxList
	}
	if lim.MaxExpensive <= 0 {
		lim.MaxExpensive = DefaultLimits.MaxExpensive
	}
	b := &budget{lim: lim, instrumented: map[*parse.Tree]bool{}}
	st := template.Must(template.New("budget").Funcs(template.FuncMap{stepFunc: b.step}).Parse("{{" + stepFunc + "}}"))
	b.stepNode = st.Tree.Root.Nodes[0]
	return b
}

func (b *budget) fail(e *ErrBudget) error {
	if b.exceeded == nil {
		b.exceeded = e
	}
	return b.exceeded
}

// charge adds steps and bytes, failing past the limits.
func (b *budget) charge(steps, bytes int64) error {
	if b.exceeded != nil {
		return b.exceeded
	}
	b.steps += steps
	b.bytes += bytes
	if b.steps > b.lim.MaxSteps || b.steps < 0 {
		return b.fail(&ErrBudget{What: "steps", Limit: b.lim.MaxSteps})
	}
	if b.bytes > b.lim.MaxBytes || b.bytes < 0 {
		return b.fail(&ErrBudget{What: "bytes", Limit: b.lim.MaxBytes})
	}
	return nil
}

func (b *budget) step() (string, error) { return "", b.charge(1, 0) }

func (b *budget) enter() error {
	b.depth++
	if b.depth > b.lim.MaxDepth {
		return b.fail(&ErrBudget{What: "nesting", Limit: int64(b.lim.MaxDepth)})
	}
	return b.charge(1, 0)
}

func (b *budget) leave() { b.depth-- }

// budgetWriter charges every byte a template writes.
type budgetWriter struct {
	b *budget
	w io.Writer
}

func (w budgetWriter) Write(p []byte) (int, error) {
	if err := w.b.charge(0, int64(len(p))); err != nil {
		return 0, err
	}
	return w.w.Write(p)
}

func (b *budget) writer(w io.Writer) io.Writer { return budgetWriter{b, w} }

// instrument puts a step at the start of every template body (so that
// every template, define and include call is charged) and of every range
// body (so that every iteration is, including a range over an integer or
// a channel that calls no function). Trees shared by clones (tpl) are
// instrumented once.
func (b *budget) instrument(t *template.Template) {
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil || b.instrumented[tt.Tree] {
			continue
		}
		b.instrumented[tt.Tree] = true
		b.instrumentList(tt.Tree.Root)
	}
}

func (b *budget) instrumentList(l *parse.ListNode) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.RangeNode:
			b.instrumentList(n.List)
			b.instrumentList(n.ElseList)
		case *parse.IfNode:
			b.instrumentList(n.List)
			b.instrumentList(n.ElseList)
		case *parse.WithNode:
			b.instrumentList(n.List)
			b.instrumentList(n.ElseList)
		case *parse.ListNode:
			b.instrumentList(n)
		}
	}
	l.Nodes = append([]parse.Node{b.stepNode}, l.Nodes...)
}

// Functions whose cost is far above a step: key and certificate
// generation, password hashing; counted against MaxExpensive.
var expensive = map[string]bool{
	"genPrivateKey": true, "genCA": true, "genCAWithKey": true, "genSelfSignedCert": true,
	"genSelfSignedCertWithKey": true, "genSignedCert": true, "genSignedCertWithKey": true,
	"buildCustomCert": true, "bcrypt": true, "htpasswd": true, "derivePassword": true,
}

var errType = reflect.TypeFor[error]()

// wrap charges every function of fm: one step per call (and the expensive
// ones against their own count), the sizes the amplifying functions are asked
// for before they run, and the length of what each returns.
func (b *budget) wrap(fm template.FuncMap) template.FuncMap {
	out := template.FuncMap{}
	for name, f := range fm {
		if !prechecked[name] && !expensive[name] {
			if w := b.fast(f); w != nil {
				out[name] = w
				continue
			}
		}
		fv := reflect.ValueOf(f)
		ft := fv.Type()
		name := name
		out[name] = reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
			err := b.charge(1, 0)
			if err == nil && expensive[name] {
				if b.expensive++; b.expensive > b.lim.MaxExpensive {
					err = b.fail(&ErrBudget{What: "expensive", Limit: int64(b.lim.MaxExpensive), Func: name})
				}
			}
			if err == nil {
				err = b.precheck(name, flatArgs(ft, args))
			}
			if err != nil {
				return errResults(ft, err)
			}
			var res []reflect.Value
			if ft.IsVariadic() {
				res = fv.CallSlice(args)
			} else {
				res = fv.Call(args)
			}
			if len(res) > 0 {
				if err := b.chargeResult(res[0]); err != nil {
					return errResults(ft, err)
				}
			}
			return res
		}).Interface()
	}
	return out
}

// errResults returns err from a function of type ft: as its error result,
// or by panicking (text/template turns a function's panic into an error)
// when it has none.
func errResults(ft reflect.Type, err error) []reflect.Value {
	n := ft.NumOut()
	if n == 0 || ft.Out(n-1) != errType {
		panic(err)
	}
	res := make([]reflect.Value, n)
	for i := 0; i < n-1; i++ {
		res[i] = reflect.Zero(ft.Out(i))
	}
	res[n-1] = reflect.ValueOf(&err).Elem()
	return res
}

// chargeResult charges the bytes of a string a function returns (lists
// are charged by precheck where they can be large, and by the steps of
// the range over them).
func (b *budget) chargeResult(v reflect.Value) error {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.String {
		return b.charge(0, int64(v.Len()))
	}
	return nil
}

// flatArgs spreads the variadic slice of a call into single arguments.
func flatArgs(ft reflect.Type, args []reflect.Value) []reflect.Value {
	if !ft.IsVariadic() || len(args) == 0 {
		return args
	}
	last := args[len(args)-1]
	flat := append([]reflect.Value{}, args[:len(args)-1]...)
	for i := 0; i < last.Len(); i++ {
		flat = append(flat, last.Index(i))
	}
	return flat
}

// toInt reads an integer argument as sprig does (numbers, numeric strings).
func toInt(v reflect.Value) int64 {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := v.Uint()
		if u > 1<<62 {
			return 1 << 62
		}
		return int64(u)
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if f > 1<<62 || f < -(1<<62) {
			return 1 << 62
		}
		return int64(f)
	case reflect.String:
		n, _ := strconv.ParseInt(v.String(), 10, 64)
		return n
	}
	return 0
}

func strLen(v reflect.Value) int64 {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.String {
		return int64(v.Len())
	}
	return int64(len(fmt.Sprint(v.Interface())))
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// prechecked are the functions precheck looks at before they run.
var prechecked = map[string]bool{
	"until": true, "untilStep": true, "seq": true, "repeat": true, "indent": true, "nindent": true,
	"randAlpha": true, "randAlphaNum": true, "randAscii": true, "randNumeric": true, "randBytes": true, "printf": true,
}

// fast wraps the commonest function types without reflection (a
// reflect.MakeFunc call costs a microsecond, and charts call toYaml,
// quote, include's helpers thousands of times); nil for the others.
func (b *budget) fast(f any) any {
	str := func(s string) (string, error) {
		if err := b.charge(1, int64(len(s))); err != nil {
			return "", err
		}
		return s, nil
	}
	switch f := f.(type) {
	case func(string) string:
		return func(a string) (string, error) { return str(f(a)) }
	case func(any) string:
		return func(a any) (string, error) { return str(f(a)) }
	case func(...any) string:
		return func(a ...any) (string, error) { return str(f(a...)) }
	case func(string, string) string:
		return func(a, c string) (string, error) { return str(f(a, c)) }
	case func(string, ...any) string:
		return func(a string, c ...any) (string, error) { return str(f(a, c...)) }
	case func(any, ...any) any:
		return func(a any, c ...any) (any, error) {
			if err := b.charge(1, 0); err != nil {
				return nil, err
			}
			return f(a, c...), nil
		}
	case func(...any) map[string]any:
		return func(a ...any) (map[string]any, error) {
			if err := b.charge(1, 0); err != nil {
				return nil, err
			}
			return f(a...), nil
		}
	case func(any) bool:
		return func(a any) (bool, error) {
			if err := b.charge(1, 0); err != nil {
				return false, err
			}
			return f(a), nil
		}
	}
	return nil
}

// fmtWidth finds the widths and precisions of a printf format.
var fmtWidth = regexp.MustCompile(`%[-+# 0]*(\d+|\*)?(?:\.(\d+|\*))?`)

// precheck refuses a call that would build more than the budget allows
// before it runs: a list of until/untilStep/seq, a string of repeat,
// indent, nindent, the rand functions, a printf width.
func (b *budget) precheck(name string, args []reflect.Value) error {
	list := func(n int64) error {
		if n > b.lim.MaxList || n < 0 {
			return b.fail(&ErrBudget{What: "list", Limit: b.lim.MaxList, Func: name})
		}
		return b.charge(n, 8*n)
	}
	size := func(n int64) error {
		if n < 0 || n > b.lim.MaxBytes-b.bytes {
			return b.fail(&ErrBudget{What: "bytes", Limit: b.lim.MaxBytes, Func: name})
		}
		return nil
	}
	switch name {
	case "until":
		if len(args) == 1 {
			return list(abs(toInt(args[0])))
		}
	case "untilStep":
		if len(args) == 3 {
			step := abs(toInt(args[2]))
			if step == 0 {
				return nil
			}
			return list(abs(toInt(args[1])-toInt(args[0])) / step)
		}
	case "seq":
		// seq last | seq first last | seq first step last
		var first, step, last int64 = 1, 1, 0
		switch len(args) {
		case 1:
			last = toInt(args[0])
		case 2:
			first, last = toInt(args[0]), toInt(args[1])
		case 3:
			first, step, last = toInt(args[0]), abs(toInt(args[1])), toInt(args[2])
		}
		if step == 0 {
			step = 1
		}
		return list(abs(last-first)/step + 1)
	case "repeat":
		if len(args) == 2 {
			n, l := toInt(args[0]), strLen(args[1])
			if n > 0 && l > 0 && n > (b.lim.MaxBytes+1)/l {
				return size(-1)
			}
			return size(n * l)
		}
	case "indent", "nindent":
		if len(args) == 2 {
			n, l := abs(toInt(args[0])), strLen(args[1])
			if n > b.lim.MaxBytes {
				return size(-1)
			}
			lines := int64(1)
			if s, ok := args[1].Interface().(string); ok {
				for i := range len(s) {
					if s[i] == '\n' {
						lines++
					}
				}
			}
			if lines > 0 && n > (b.lim.MaxBytes+1)/lines {
				return size(-1)
			}
			return size(n*lines + l)
		}
	case "randAlpha", "randAlphaNum", "randAscii", "randNumeric", "randBytes":
		if len(args) == 1 {
			return size(abs(toInt(args[0])))
		}
	case "printf":
		if len(args) >= 1 {
			format, _ := args[0].Interface().(string)
			arg := 1
			var total int64
			for _, m := range fmtWidth.FindAllStringSubmatch(format, -1) {
				for _, w := range m[1:] {
					switch {
					case w == "*":
						if arg < len(args) {
							total += abs(toInt(args[arg]))
						}
						arg++
					case w != "":
						n, err := strconv.ParseInt(w, 10, 64)
						if err != nil {
							return size(-1)
						}
						total += n
					}
				}
				if total < 0 {
					return size(-1)
				}
			}
			return size(total)
		}
	}
	return nil
}

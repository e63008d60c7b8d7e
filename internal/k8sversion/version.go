package k8sversion

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Kubernetes version as AKS spells it: "1.34" (a minor alias),
// "1.34.2", "v1.34.2", or an AKS long-term-support patch such as "1.31.100".
type Version struct {
	Major, Minor, Patch int
	// HasPatch is false for a minor alias ("1.34"); Patch is then 0.
	HasPatch bool
}

// LTSPatchFloor is the first patch number AKS uses for its long-term-support
// builds (1.31.100, 1.30.101, …); they carry fixes backported by AKS that
// upstream version ranges do not describe.
const LTSPatchFloor = 100

// maxComponent bounds each number so that arithmetic on versions cannot
// overflow and absurd inputs are rejected early.
const maxComponent = 1 << 20

// Parse reads a version. It accepts an optional leading "v" and two or three
// dot-separated decimal numbers, and nothing else (no pre-release or build
// suffixes: AKS versions have none).
func Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(t, "v")
	t = strings.TrimPrefix(t, "V")
	parts := strings.Split(t, ".")
	if len(parts) != 2 && len(parts) != 3 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR or MAJOR.MINOR.PATCH", s)
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := component(p)
		if err != nil {
			return Version{}, fmt.Errorf("version %q: %v", s, err)
		}
		nums[i] = n
	}
	v := Version{Major: nums[0], Minor: nums[1]}
	if len(nums) == 3 {
		v.Patch, v.HasPatch = nums[2], true
	}
	return v, nil
}

func component(p string) (int, error) {
	if p == "" {
		return 0, fmt.Errorf("empty number")
	}
	if len(p) > 7 {
		return 0, fmt.Errorf("number %q too large", p)
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q is not a decimal number", p)
		}
	}
	n, err := strconv.Atoi(p)
	if err != nil || n >= maxComponent {
		return 0, fmt.Errorf("number %q too large", p)
	}
	return n, nil
}

// MustParse is Parse for constants in tests and tables; it panics on error.
func MustParse(s string) Version {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String renders the version without a "v" prefix.
func (v Version) String() string {
	if !v.HasPatch {
		return v.MinorString()
	}
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// MinorString is "MAJOR.MINOR".
func (v Version) MinorString() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// MinorOf returns the minor alias of v.
func (v Version) MinorOf() Version { return Version{Major: v.Major, Minor: v.Minor} }

// IsLTSPatch reports an AKS long-term-support patch number (≥ 100).
func (v Version) IsLTSPatch() bool { return v.HasPatch && v.Patch >= LTSPatchFloor }

// SameMinor reports whether both versions share major and minor.
func (v Version) SameMinor(o Version) bool { return v.Major == o.Major && v.Minor == o.Minor }

// Compare orders versions: -1, 0 or +1. A minor alias sorts before every
// patch of its minor (it is compared as patch -1).
func (v Version) Compare(o Version) int {
	a, b := v.key(), o.key()
	for i := range a {
		switch {
		case a[i] < b[i]:
			return -1
		case a[i] > b[i]:
			return 1
		}
	}
	return 0
}

// CompareMinor orders by major and minor only.
func (v Version) CompareMinor(o Version) int { return v.MinorOf().Compare(o.MinorOf()) }

// Less reports v < o.
func (v Version) Less(o Version) bool { return v.Compare(o) < 0 }

func (v Version) key() [3]int {
	p := v.Patch
	if !v.HasPatch {
		p = -1
	}
	return [3]int{v.Major, v.Minor, p}
}

// nextMinor returns the alias of the minor n steps after v.
func (v Version) nextMinor(n int) Version { return Version{Major: v.Major, Minor: v.Minor + n} }

package k8sversion

import "testing"

func TestVersionParse(t *testing.T) {
	tests := []struct {
		in       string
		want     Version
		str      string
		ltsPatch bool
	}{
		{"1.34", Version{1, 34, 0, false}, "1.34", false},
		{"1.34.2", Version{1, 34, 2, true}, "1.34.2", false},
		{"v1.34.2", Version{1, 34, 2, true}, "1.34.2", false},
		{"V1.34.2", Version{1, 34, 2, true}, "1.34.2", false},
		{" 1.30.1\n", Version{1, 30, 1, true}, "1.30.1", false},
		{"1.31.100", Version{1, 31, 100, true}, "1.31.100", true},
		{"v1.30.101", Version{1, 30, 101, true}, "1.30.101", true},
		{"1.31.99", Version{1, 31, 99, true}, "1.31.99", false},
		{"1.034.02", Version{1, 34, 2, true}, "1.34.2", false},
		{"1.0", Version{1, 0, 0, false}, "1.0", false},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want || got.String() != tt.str || got.IsLTSPatch() != tt.ltsPatch {
			t.Errorf("Parse(%q) = %+v %q lts=%v, want %+v %q lts=%v", tt.in, got, got.String(), got.IsLTSPatch(), tt.want, tt.str, tt.ltsPatch)
		}
	}
}

func TestVersionParseErrors(t *testing.T) {
	for _, in := range []string{
		"", "v", "1", "1.", "1..2", ".1.2", "1.2.", "1.2.3.4", "1.x", "1.34.2-aks", "1.34.2+build",
		"-1.2", "+1.2", "1.-2", "1. 2", "vv1.2", "1.2.3 4", "99999999.1", "1.2.12345678", "１.２",
	} {
		if v, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", in, v)
		}
	}
}

func TestVersionCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.34.2", "1.34.10", -1},
		{"1.34.10", "1.34.2", 1},
		{"1.34.2", "v1.34.2", 0},
		{"1.34", "1.34.0", -1}, // an alias sorts before every patch of its minor
		{"1.33.13", "1.34", -1},
		{"1.31.100", "1.31.14", 1},
		{"1.9.9", "1.10.0", -1},
		{"2.0.0", "1.99.99", 1},
	}
	for _, tt := range tests {
		if got := MustParse(tt.a).Compare(MustParse(tt.b)); got != tt.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if MustParse("1.34.2").CompareMinor(MustParse("1.34")) != 0 {
		t.Error("CompareMinor(1.34.2, 1.34) != 0")
	}
}

func FuzzVersionParse(f *testing.F) {
	for _, s := range []string{"1.34", "1.34.2", "v1.34.2", "1.31.100", "", "v", "1..2", "1.2.3.4", "1.34.2-aks", "00.01.002", "9999999.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		if v.Major < 0 || v.Minor < 0 || v.Patch < 0 || v.Major >= maxComponent || v.Minor >= maxComponent || v.Patch >= maxComponent {
			t.Fatalf("Parse(%q) = %+v: component out of range", s, v)
		}
		again, err := Parse(v.String())
		if err != nil || again != v {
			t.Fatalf("round trip of %q: %q -> %+v, %v", s, v.String(), again, err)
		}
		if w, err := Parse("v" + v.String()); err != nil || w != v {
			t.Fatalf("v-prefixed round trip of %q failed: %+v, %v", s, w, err)
		}
		if v.Compare(v) != 0 || v.MinorOf().Compare(v) > 0 {
			t.Fatalf("ordering broken for %+v", v)
		}
	})
}

package checks_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks"
	"github.com/aksguard/aksguard/internal/engine"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source"
)

// Every control's own inputs live beside its code, in its area's folder:
// <area>/testdata/<CONTROL-ID>/pass-*, fail-* and, where the control can say
// it, not-assessed-*. An entry is one file or a directory of several inputs
// (e.g. an az cluster beside manifests).

// fixtureDir is the folder of a control's fixtures.
func fixtureDir(area checks.Area, id string) string {
	return filepath.Join(area.Dir, "testdata", id)
}

// oldFixtures is where the fixtures lived before the areas had packages; it
// must not come back.
const oldFixtures = "testdata/controls"

// controlIDName is the shape of a control ID, and so of a fixture folder.
var controlIDName = regexp.MustCompile(`^AKS-[A-Z]+-[0-9]+$`)

// entryKinds maps an entry's name prefix to the verdict it proves.
var entryKinds = []struct {
	prefix string
	want   check.Status
}{
	{"pass-", check.Pass},
	{"fail-", check.Fail},
	{"not-assessed-", check.NotAssessed},
}

// fixtureExempt lists controls that cannot have a pass or a fail entry from
// file inputs, keyed "ID/pass" or "ID/fail", with the reason. An exemption
// for an entry that exists is itself an error, so the list cannot go stale.
var fixtureExempt = map[string]string{}

// TestEveryControlHasFixtures requires a pass and a fail entry for every
// registered control and checks every entry's verdict: pass-* entries give
// the control only pass results (at least one), fail-* at least one fail,
// not-assessed-* at least one not-assessed and no pass. Other controls'
// results on the same input are not looked at.
func TestEveryControlHasFixtures(t *testing.T) {
	known := map[string]bool{}
	for _, c := range check.All() {
		known[c.ID] = true
	}
	areaOf := map[string]checks.Area{}
	for _, a := range checks.Areas() {
		for _, c := range a.Controls {
			areaOf[c.ID] = a
		}
	}
	for _, a := range checks.Areas() {
		// A folder in an area's testdata named like a control is that
		// area's control's fixtures.
		dirs, err := os.ReadDir(filepath.Join(a.Dir, "testdata"))
		if err != nil {
			t.Errorf("area %s: %v", a.Dir, err)
			continue
		}
		for _, d := range dirs {
			if !controlIDName.MatchString(d.Name()) {
				continue
			}
			switch other, ok := areaOf[d.Name()]; {
			case !known[d.Name()]:
				t.Errorf("%s/testdata/%s: no registered control has this ID (renamed or removed control?)", a.Dir, d.Name())
			case ok && other.Dir != a.Dir:
				t.Errorf("%s/testdata/%s: the control belongs to area %s: move the folder to %s", a.Dir, d.Name(), other.Dir, fixtureDir(other, d.Name()))
			}
		}
	}
	if _, err := os.Stat(oldFixtures); err == nil {
		t.Errorf("%s: control fixtures live in <area>/testdata/<CONTROL-ID>/ beside the control's code", oldFixtures)
	}
	for key := range fixtureExempt {
		if id, _, _ := strings.Cut(key, "/"); !known[id] {
			t.Errorf("fixtureExempt[%q]: no registered control has this ID", key)
		}
	}
	for _, c := range check.All() {
		area, ok := areaOf[c.ID]
		if !ok {
			t.Errorf("%s is registered but in no area of checks.Areas()", c.ID)
			continue
		}
		dir := fixtureDir(area, c.ID)
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Errorf("%s has no fixtures: create %s/ with pass-* and fail-* entries (%v)", c.ID, dir, err)
			continue
		}
		readme := readmeLines(t, dir)
		have := map[check.Status]bool{}
		for _, e := range ents {
			name := e.Name()
			if name == "README" {
				continue
			}
			var want check.Status
			for _, k := range entryKinds {
				if strings.HasPrefix(name, k.prefix) {
					want = k.want
				}
			}
			if want == "" {
				t.Errorf("%s/%s: an entry's name starts with pass-, fail- or not-assessed-", dir, name)
				continue
			}
			have[want] = true
			path := filepath.Join(dir, name)
			if !described(path, e.IsDir(), readme) {
				t.Errorf("%s: say what the entry shows in a first-line # comment or a line of %s/README starting with %q", path, dir, name)
			}
			t.Run(c.ID+"/"+name, func(t *testing.T) {
				checkEntry(t, c.ID, path, want)
			})
		}
		for _, want := range []check.Status{check.Pass, check.Fail} {
			key := c.ID + "/" + string(want)
			reason, exempt := fixtureExempt[key]
			switch {
			case have[want] && exempt:
				t.Errorf("%s has a %s-* fixture although exempt (%s): remove it from fixtureExempt", c.ID, want, reason)
			case !have[want] && !exempt:
				t.Errorf("%s has no %s-* fixture in %s: every control needs one input it passes and one it fails", c.ID, want, dir)
			}
		}
	}
}

// checkEntry loads one entry like a scan does and asserts the control's
// verdict on it.
func checkEntry(t *testing.T, id, path string, want check.Status) {
	// The audit controls observe the events as the logs are read, as
	// scan.Run streams them.
	states := map[string]inventory.AuditObserver{}
	fan := auditFan{}
	for _, c := range check.All() {
		if c.Audit != nil {
			states[c.ID] = c.Audit(check.DefaultSettings())
			fan = append(fan, states[c.ID])
		}
	}
	inv := source.Load([]string{path}, source.Options{Audit: fan})
	if inv.Audit != nil {
		inv.Audit.States = states
	} else if c, _ := check.Lookup(id); c.Audit != nil {
		t.Fatalf("%s: an audit control's entry holds no audit log source.Load reads", path)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("%s: input errors %v", path, inv.Errors)
	}
	if len(inv.Skipped) > 0 {
		t.Fatalf("%s: inputs skipped as not scannable %v", path, inv.Skipped)
	}
	if inv.Kube != nil && len(inv.Kube.Skipped) > 0 {
		t.Fatalf("%s: documents skipped %v", path, inv.Kube.Skipped)
	}
	rs := engine.Run(inv, engine.Options{Settings: check.DefaultSettings(), Now: today})
	count := map[check.Status]int{}
	var got []string
	for _, r := range rs {
		if r.Control != id {
			continue
		}
		count[r.Status]++
		got = append(got, string(r.Status)+" "+r.Resource.Kind+"/"+r.Resource.Name+": "+r.Message)
	}
	sort.Strings(got)
	ok := false
	switch want {
	case check.Pass:
		ok = count[check.Pass] > 0 && count[check.Pass] == len(got)
	case check.Fail:
		ok = count[check.Fail] > 0
	case check.NotAssessed:
		ok = count[check.NotAssessed] > 0 && count[check.Pass] == 0
	}
	switch {
	case len(got) == 0:
		t.Errorf("%s: want %s from %s, got no result at all", path, want, id)
	case !ok:
		t.Errorf("%s: want %s from %s, got:\n  %s", path, want, id, strings.Join(got, "\n  "))
	}
}

// auditFan streams every audit event to each observer.
type auditFan []inventory.AuditObserver

func (f auditFan) Observe(ev *inventory.AuditEvent) {
	for _, o := range f {
		o.Observe(ev)
	}
}

// readmeLines returns the lines of a control folder's README, if any.
func readmeLines(t *testing.T, dir string) []string {
	f, err := os.Open(filepath.Join(dir, "README"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		out = append(out, s.Text())
	}
	return out
}

// described reports whether an entry says what it shows: a README line
// naming it, or (for a file) a first line that is a # comment.
func described(path string, dir bool, readme []string) bool {
	name := filepath.Base(path)
	for _, l := range readme {
		if strings.HasPrefix(l, name+":") || strings.HasPrefix(l, name+" ") {
			return true
		}
	}
	if dir {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	return s.Scan() && strings.HasPrefix(strings.TrimSpace(s.Text()), "#")
}

package workloads

import (
	"testing"
)

func TestHostPathAllowed(t *testing.T) {
	allow := []string{"/var/log", "/etc/ssl/certs/", "/run/*/sock"}
	for p, want := range map[string]bool{
		"/var/log": true, "/var/log/": true, "/var/log/pods": true, "/var/logs": false, "/var": false,
		"/etc/ssl/certs": true, "/etc/ssl": false, "/run/containerd/sock": true, "/run/a/b/sock": false,
		"/var/log/../../etc": false,
	} {
		if got, _ := hostPathAllowed(allow, p); got != want {
			t.Errorf("hostPathAllowed(%q) = %v, want %v", p, got, want)
		}
	}
	if got, _ := hostPathAllowed(nil, "/var/log"); got {
		t.Error("an empty allow-list allows nothing")
	}
}

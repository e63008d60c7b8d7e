// Package testkube gives tests a real kube-apiserver and etcd on loopback,
// started once per test binary by hack/kubeapi.sh from binaries cached in
// ~/.cache/kubeapi (make test builds them). Without the binaries the tests
// that need a server skip, except under CI=true, where they fail: a broken
// build step must never pass as "no tests ran".
package testkube

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Version is the kube-apiserver release the tests run against; client-go
// is pinned to the matching v0.37.x.
const Version = "v1.37.1"

var (
	kubeconfig string
	unusable   string // why no server is available
)

// Main starts the server, runs the tests and stops it. Use it from
// TestMain: os.Exit(testkube.Main(m)).
func Main(m *testing.M) int {
	stop, err := start()
	if err != nil {
		unusable = err.Error()
	}
	code := m.Run()
	if stop != nil {
		stop()
	}
	return code
}

// Kubeconfig returns the path of an admin kubeconfig for the server (a
// client certificate in system:masters). It skips the test when no server
// could be started, or fails it under CI=true.
func Kubeconfig(t testing.TB) string {
	t.Helper()
	if kubeconfig == "" {
		msg := "no kube-apiserver for this test: " + unusable
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: failing instead of skipping)")
		}
		t.Skip(msg)
	}
	return kubeconfig
}

// Config returns an admin client configuration for the server.
func Config(t testing.TB) *rest.Config {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", Kubeconfig(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.QPS, cfg.Burst = 200, 400
	return cfg
}

// As returns a configuration that impersonates a user (and groups) through
// the admin identity: what the server authorises is then that user's RBAC.
func As(t testing.TB, user string, groups ...string) *rest.Config {
	cfg := Config(t)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user, Groups: append([]string{"system:authenticated"}, groups...)}
	return cfg
}

// CacheDir is where hack/kubeapi.sh keeps the binaries.
func CacheDir() string {
	if d := os.Getenv("KUBEAPI_CACHE_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "kubeapi")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "kubeapi")
}

func start() (func(), error) {
	kc, _, stop, err := launch()
	if err != nil {
		return nil, err
	}
	kubeconfig = kc
	return stop, nil
}

// launch starts one etcd + kube-apiserver through hack/kubeapi.sh, with
// extra kube-apiserver flags, and returns its admin kubeconfig, the work
// directory of the script (certificates under pki/) and how to stop it.
func launch(apiserverArgs ...string) (kc, work string, stop func(), err error) {
	bin := filepath.Join(CacheDir(), Version, "bin")
	for _, b := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(bin, b)); err != nil {
			return "", "", nil, fmt.Errorf("%s not built in %s: run make test, or hack/kubeapi.sh --build", b, bin)
		}
	}
	script, err := findScript()
	if err != nil {
		return "", "", nil, err
	}
	dir, err := os.MkdirTemp("", "aksguard-kubeapi-")
	if err != nil {
		return "", "", nil, err
	}
	work = filepath.Join(dir, "work")
	ready := filepath.Join(dir, "ready")
	cmd := exec.Command("bash", script)
	cmd.Env = append(os.Environ(), "KUBEAPI_READY_FILE="+ready, "KUBE_VERSION="+Version,
		"KUBEAPI_WORK_DIR="+work, fmt.Sprintf("KUBEAPI_PARENT_PID=%d", os.Getpid()))
	if len(apiserverArgs) > 0 {
		cmd.Env = append(cmd.Env, "KUBEAPI_APISERVER_ARGS="+strings.Join(apiserverArgs, " "))
	}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	// Its own process group, so that stopping it reaches etcd and the
	// API server too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", "", nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop = func() {
		_ = syscall.Kill(cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		os.RemoveAll(dir)
	}
	deadline := time.After(200 * time.Second)
	for {
		if b, err := os.ReadFile(ready); err == nil && len(bytes.TrimSpace(b)) > 0 {
			return strings.TrimSpace(string(b)), work, stop, nil
		}
		select {
		case err := <-exited:
			os.RemoveAll(dir)
			return "", "", nil, fmt.Errorf("hack/kubeapi.sh exited (%v) before the server was ready:\n%s", err, tail(logs.String()))
		case <-deadline:
			stop()
			return "", "", nil, fmt.Errorf("kube-apiserver not ready after 200 s:\n%s", tail(logs.String()))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// findScript walks up from the test's directory to the repository root.
func findScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "hack", "kubeapi.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("hack/kubeapi.sh not found above the test directory")
		}
		dir = parent
	}
}

func tail(s string) string {
	if len(s) > 4000 {
		return "..." + s[len(s)-4000:]
	}
	return s
}

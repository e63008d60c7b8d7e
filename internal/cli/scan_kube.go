package cli

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/aksguard/aksguard/internal/scan"
	"github.com/aksguard/aksguard/internal/source/kubeapi"
)

// kubeFlags select a live Kubernetes API server.
type kubeFlags struct {
	kube        bool
	kubeconfig  string
	context     string
	timeout     time.Duration
	concurrency int
	maxObjects  int
}

func (k *kubeFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&k.kube, "kube", false, "also scan the live cluster of the current kubeconfig context (or the pod's service account in a cluster)")
	fl.StringVar(&k.kubeconfig, "kubeconfig", "", "kubeconfig file for --kube (default: KUBECONFIG, else ~/.kube/config); implies --kube")
	fl.StringVar(&k.context, "context", "", "kubeconfig context for --kube (default: the current one); implies --kube")
	fl.DurationVar(&k.timeout, "kube-timeout", 2*time.Minute, "give up reading the Kubernetes API after this long; what was not read is reported, never passed")
	fl.IntVar(&k.concurrency, "kube-concurrency", 8, "kinds listed at once from the Kubernetes API")
	fl.IntVar(&k.maxObjects, "kube-max-objects", kubeapi.DefaultMaxObjects, "read at most this many objects of one kind; a kind with more is reported as not read (its controls not-assessed), never judged from a part")
}

func (k *kubeFlags) enabled() bool { return k.kube || k.kubeconfig != "" || k.context != "" }

// options are the live read the flags ask for.
func (k *kubeFlags) options() (*scan.KubeOptions, error) {
	if k.maxObjects < 1 {
		return nil, fmt.Errorf("--kube-max-objects %d: want at least 1", k.maxObjects)
	}
	return &scan.KubeOptions{Kubeconfig: k.kubeconfig, Context: k.context, Timeout: k.timeout, Concurrency: k.concurrency, MaxObjects: k.maxObjects}, nil
}

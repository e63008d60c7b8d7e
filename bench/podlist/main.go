// Command podlist writes one Kubernetes List of N Pods (YAML, or JSON with
// -json), the shape `kubectl get pods -A -o yaml` prints: the input of the
// "List of 100k Pods" benchmark in docs/performance.md.
//
//	go run ./bench/podlist -n 100000 > /tmp/pods.yaml
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
)

func main() {
	n := flag.Int("n", 100000, "number of Pods")
	asJSON := flag.Bool("json", false, "write JSON instead of YAML")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	if *asJSON {
		fmt.Fprint(w, `{"apiVersion":"v1","kind":"List","items":[`)
		for i := range *n {
			if i > 0 {
				fmt.Fprint(w, ",")
			}
			fmt.Fprintf(w, `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-%d","namespace":"ns-%d","labels":{"app":"web"}},`+
				`"spec":{"serviceAccountName":"web","containers":[{"name":"web","image":"registry.example.com/web:1.%d","ports":[{"containerPort":8080}],`+
				`"resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"memory":"256Mi"}},`+
				`"securityContext":{"runAsNonRoot":true,"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}}}]}}`, i, i%100, i%7)
		}
		fmt.Fprintln(w, "]}")
		return
	}
	fmt.Fprint(w, "apiVersion: v1\nkind: List\nitems:\n")
	for i := range *n {
		fmt.Fprintf(w, `- apiVersion: v1
  kind: Pod
  metadata:
    name: web-%d
    namespace: ns-%d
    labels:
      app: web
  spec:
    serviceAccountName: web
    containers:
    - name: web
      image: registry.example.com/web:1.%d
      ports:
      - containerPort: 8080
      resources:
        requests:
          cpu: 100m
          memory: 128Mi
        limits:
          memory: 256Mi
      securityContext:
        runAsNonRoot: true
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
`, i, i%100, i%7)
	}
}

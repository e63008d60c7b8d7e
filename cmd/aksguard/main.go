// Command aksguard audits Azure Kubernetes Service clusters against AKS
// security practice. See README.md.
package main

import (
	"os"

	"github.com/aksguard/aksguard/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

package bicep

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestDev(t *testing.T) {
	p := os.Getenv("BICEP_DEV")
	if p == "" {
		t.Skip()
	}
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b, tm := Decode(p, src, os.ReadFile, nil)
	for _, e := range b.Errors {
		fmt.Println("ERR", e.Input, e.Line, e.Message)
	}
	fmt.Println("skipped", b.Skipped)
	for _, c := range b.Clusters {
		fmt.Printf("CLUSTER %s %s:%d local=%v rbac=%v\n", c.Name, c.Source.File, c.Source.Line, c.DisableLocalAccounts, c.EnableRBAC)
	}
	for _, pl := range b.Pools {
		fmt.Printf("POOL %s -> %s %s:%d\n", pl.Pool.Name, pl.ClusterID, pl.Pool.Source.File, pl.Pool.Source.Line)
	}
	for _, d := range b.Diagnostics {
		fmt.Printf("DIAG %s -> %s\n", d.Setting.Name, d.TargetID)
	}
	if os.Getenv("BICEP_DUMP") != "" && tm != nil {
		data, _ := json.MarshalIndent(tm.Root.Interface(), "", " ")
		os.WriteFile("/tmp/bicep_dev.json", data, 0o644)
	}
}

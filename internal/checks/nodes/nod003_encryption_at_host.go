package nodes

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var nod003 = &check.Control{
	ID: "AKS-NOD-003", Title: "Encryption at host / customer-managed disk keys", Severity: check.Low, Area: kit.AreaUpgrades,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Encryption at host encrypts temp disks and disk caches, which platform-managed server-side encryption does not; a disk encryption set puts OS and data disks under your key.",
	FailsWhen:   "No disk encryption set and a pool without encryption at host (named per pool).",
	Remediation: "Enable encryption at host on every pool, or use a disk encryption set.",
	References:  []string{"https://learn.microsoft.com/azure/aks/enable-host-encryption", "https://learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys"},
	// Not mapped: policies 41425d9f (encryption at host) and 7d7be79c
	// (customer-managed disk keys) each require one of the two; this control
	// passes either (weaker than each).
	Run: kit.PerCluster(kit.Fix{
		AZ:     "az aks nodepool update -g {rg} --cluster-name {name} -n {pool} --enable-encryption-at-host (or add a new pool with it)",
		TF:     "host_encryption_enabled = true",
		TFPool: true,
		ARM:    "properties.agentPoolProfiles[].enableEncryptionAtHost: true",
	}, evalNOD003),
}

func evalNOD003(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
	des := c.DiskEncryptionSet
	switch {
	case des.IsKnown() && des.Val != "":
		o.Pass("OS and data disks are encrypted with a customer-managed key (disk encryption set)", kit.Ev(des, ""))
		return
	case des.IsSetUnknown():
		o.Pass("OS and data disks are encrypted with a customer-managed key (disk encryption set, ID known after apply)", kit.Ev(des, ""))
		return
	case des.IsUnknown():
		o.Unresolved("the disk encryption set", kit.Ev(des, ""))
		return
	}
	pools, ok := o.Pools()
	if !ok {
		return
	}
	bad := 0
	for _, p := range pools {
		f := p.EncryptionAtHost
		switch {
		case f.IsUnknown():
			bad++
			o.EmitPool(p, check.NotAssessed, "whether the pool encrypts at host cannot be determined from this input", kit.Ev(f, ""))
		case !f.Or(false):
			bad++
			o.EmitPool(p, check.Fail, "pool "+p.Name+" has neither encryption at host nor a disk encryption set", kit.Ev(f, "off by default"), kit.Ev(des, "no disk encryption set"))
		}
	}
	if bad == 0 {
		o.Pass("every pool encrypts at host", kit.PoolsEvidence(pools, func(p *inventory.AgentPool) kit.Evidence { return kit.Ev(p.EncryptionAtHost, "") })...)
	}
}

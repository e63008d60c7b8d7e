package images

import (
	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/inventory"
)

var img005 = &check.Control{
	ID: "AKS-IMG-005", Title: "Image cleaner", Severity: check.Low, Area: kit.AreaGovernance,
	Inputs:      []check.Input{check.AZ},
	Rationale:   "Unused images stay on nodes with their vulnerabilities; Image Cleaner removes them.",
	FailsWhen:   "Image Cleaner is disabled.",
	Remediation: "Enable Image Cleaner.",
	References:  []string{"https://learn.microsoft.com/azure/aks/image-cleaner"},
	Mappings: check.Mappings{
		AzurePolicy: []string{
			"af3c26b2-6fad-493e-9236-9c68928516ab", // Azure Kubernetes Service Clusters should enable Image Cleaner
			"7e49285c-4bed-4564-b26a-5225ccc311f3", // Deploy Image Cleaner on Azure Kubernetes Service
		},
	},
	Run: kit.PerCluster(kit.Fix{
		AZ:  "az aks update -g {rg} -n {name} --enable-image-cleaner",
		TF:  "image_cleaner_enabled = true",
		ARM: "properties.securityProfile.imageCleaner.enabled: true",
	}, func(_ *check.Context, c *inventory.Cluster, o *kit.Out) {
		o.JudgeBool(kit.BoolRule{Field: c.ImageCleaner, Want: true, Def: false, DefNote: "disabled by default",
			PassMsg: "Image Cleaner removes unused images", FailMsg: "Image Cleaner is disabled", What: "whether Image Cleaner is enabled"})
	}),
}

package detect

import (
	"strings"
	"testing"

	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/manifest"
)

// Every kind of JSON document, and the documents that carry the marks of
// two kinds, go to the row the table's order gives them.
func TestKind(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"Kubernetes object", `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"}}`, Kubernetes},
		{"Kubernetes List", `{"apiVersion":"v1","kind":"List","items":[]}`, Kubernetes},
		{"ARM REST body", `{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/c","name":"c","properties":{}}`, AzureResources},
		{"az CLI JSON", `{"id":"/subscriptions/s/x","name":"c","enableRbac":true}`, AzureResources},
		{"az list", `[{"name":"c"}]`, AzureResources},
		{"empty list", `[]`, AzureResources},
		{"ARM template by $schema", `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","resources":[]}`, ARMTemplate},
		{"ARM template by typed resources", `{"resources":[{"type":"Microsoft.ContainerService/managedClusters","apiVersion":"2024-01-01"}]}`, ARMTemplate},
		{"ARM template languageVersion 2.0", `{"languageVersion":"2.0","resources":{"aks":{"type":"Microsoft.ContainerService/managedClusters","apiVersion":"2024-01-01"}}}`, ARMTemplate},
		{"ARM parameters file", `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#","parameters":{}}`, ARMParameters},
		{"Terraform plan", `{"format_version":"1.2","planned_values":{}}`, TerraformPlan},
		{"Terraform state", `{"format_version":"1.0","values":{}}`, TerraformPlan},
		{"Terraform resource_changes", `{"format_version":"1.2","resource_changes":[]}`, TerraformPlan},
		{"raw Terraform state", `{"version":4,"terraform_version":"1.9.0","serial":1,"lineage":"x","outputs":{},"resources":[]}`, TerraformState},
		{"raw state of format 3 (refused by its decoder)", `{"version":3,"terraform_version":"0.11.14","modules":[]}`, TerraformState},

		// Ambiguous documents.
		{"ARM resource with apiVersion and kind: properties mark it", `{"apiVersion":"v1","kind":"Pod","properties":{}}`, AzureResources},
		{"apiVersion that is a date is ARM", `{"apiVersion":"2024-01-01","kind":"Managed"}`, AzureResources},
		{"kind not a string is not Kubernetes", `{"apiVersion":"v1","kind":1}`, AzureResources},
		{"apiVersion spelled otherwise is not Kubernetes", `{"ApiVersion":"v1","Kind":"Pod"}`, AzureResources},
		{"template with apiVersion and kind: $schema marks it", `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","apiVersion":"v1","kind":"Pod","resources":[]}`, ARMTemplate},
		{"export wrapper beside a parameters $schema is a template", `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#","template":{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","resources":[]}}`, ARMTemplate},
		{"Kubernetes object with plan keys stays Kubernetes", `{"apiVersion":"example.com/v1","kind":"Thing","format_version":"1","values":{}}`, Kubernetes},
		{"template with plan keys stays a template", `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","format_version":"1","values":{},"resources":[]}`, ARMTemplate},
		{"parameters file with plan keys stays parameters", `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#","format_version":"1","values":{}}`, ARMParameters},
		{"format_version alone is not a plan", `{"format_version":"1.2"}`, AzureResources},
		{"show -json state with state-file keys stays a plan", `{"format_version":"1.0","terraform_version":"1.9.0","version":4,"values":{},"resources":[]}`, TerraformPlan},
		{"version and terraform_version alone are not a state", `{"version":4,"terraform_version":"1.9.0"}`, AzureResources},
		{"state-like resources with an ARM type stay a template", `{"version":4,"terraform_version":"1","resources":[{"type":"Microsoft.ContainerService/managedClusters","apiVersion":"2024-01-01"}]}`, ARMTemplate},
		{"untyped resources are not a template", `{"resources":[{"name":"x"}]}`, AzureResources},

		// Audit logs (auditlog.Classify on the first record).
		{"audit Event before the Kubernetes row", `{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"a","stage":"ResponseComplete","verb":"get"}`, AuditLog},
		{"audit EventList", `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[]}`, AuditLog},
		{"core Event stays Kubernetes", `{"kind":"Event","apiVersion":"v1","metadata":{"name":"e"}}`, Kubernetes},
		{"AKSAudit rows", `[{"AuditId":"a","Verb":"get","Stage":"ResponseComplete","Type":"AKSAudit"}]`, AuditLog},
		{"AzureDiagnostics rows", `[{"Category":"kube-audit","log_s":"{}"}]`, AuditLog},
		{"Event Hub body", `{"records":[]}`, AuditLog},
		{"diagnostic record", `{"category":"kube-audit","resourceId":"/x","properties":{"log":"{}"}}`, AuditLog},
		{"Activity Log entries are not diagnostic records", `[{"category":{"value":"Administrative"},"properties":{},"resourceId":"/x"}]`, AzureResources},
		{"ARM list with category but no properties is ARM", `[{"category":"kube-audit","enabled":true}]`, AzureResources},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := jsontree.Parse([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if got := Kind(root); got != tt.want {
				t.Errorf("Kind = %s, want %s", got, tt.want)
			}
		})
	}
}

// The table's order is the one documented: audit logs first (an Event has
// a string apiVersion and kind), then Kubernetes, the ARM
// fallback last and matching everything.
func TestTableOrder(t *testing.T) {
	var names []string
	for _, r := range Table {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, ","); got != "audit-log,kubernetes,arm-template,arm-parameters,terraform-plan,terraform-state,azure" {
		t.Errorf("table order %s", got)
	}
	if !Table[len(Table)-1].Match(nil) {
		t.Errorf("the last row does not match everything")
	}
}

// Data tells JSON from YAML and plain text by content, the file's name and
// whether it was named explicitly.
func TestData(t *testing.T) {
	tests := []struct {
		name              string
		data              string
		explicit, yamlExt bool
		want              string // "kube", "cluster", "skipped: ...", "error: ..."
	}{
		{"Kubernetes JSON", `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}`, false, false, "kube"},
		{"az JSON", `{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/c","name":"c","type":"Microsoft.ContainerService/ManagedClusters","properties":{}}`, false, false, "cluster"},
		{"flow YAML in a .yaml file", "{apiVersion: v1, kind: Namespace, metadata: {name: a}}", false, true, "kube"},
		{"flow YAML in a .json file is invalid JSON", "{apiVersion: v1, kind: Namespace}", false, false, "error: invalid JSON"},
		{"YAML in a .yaml file", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n", false, true, "kube"},
		{"YAML named explicitly", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n", true, false, "kube"},
		{"not JSON met walking", "apiVersion: v1\nkind: Namespace\n", false, false, "skipped: " + NotJSON},
		{"plain text named explicitly", "just some words", true, false, "error: neither JSON nor YAML"},
		{"plain text in a .yaml file", "just some words", false, true, "skipped: " + manifest.PlainText},
		{"parameters file met walking", `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#","parameters":{}}`, false, false, "skipped: " + ParametersSkipped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Data([]byte(tt.data), "f", tt.explicit, tt.yamlExt, Params{})
			var got string
			switch {
			case len(b.Errors) > 0:
				got = "error: " + b.Errors[0].Message
			case b.Skipped != "":
				got = "skipped: " + b.Skipped
			case b.Kube != nil:
				got = "kube"
			case len(b.Clusters) > 0:
				got = "cluster"
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// JSON refuses an explicit input that is not JSON and skips one met while
// walking.
func TestJSONNotJSON(t *testing.T) {
	if b := JSON([]byte("a: b"), "f", true, Params{}); len(b.Errors) != 1 || !strings.HasPrefix(b.Errors[0].Message, "not JSON") {
		t.Errorf("explicit: %+v", b)
	}
	if b := JSON([]byte("a: b"), "f", false, Params{}); b.Skipped != NotJSON {
		t.Errorf("walked: %+v", b)
	}
}

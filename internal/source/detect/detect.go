// Package detect recognises the kind of one input from its content and
// hands it to the decoder of that kind. It is a leaf of the source layer:
// internal/source (files, stdin) and internal/source/azure (ARM bodies read
// live) both decode through it, so a body read live and the same body
// saved to a file are decoded alike.
//
// Detection, in the order it happens:
//
//  1. Walking a directory (internal/source): a directory holding a
//     Chart.yaml or a kustomization file is rendered as a whole
//     (internal/source/render.Kind); .tf and .tfvars files are gathered by
//     directory and read by terraform.DecodeHCLDir; .bicep and .bicepparam
//     files are read by their name, compiled after the walk by
//     internal/bicep (internal/source/bicep.go decides which are
//     deployments rather than modules of another file); the other files
//     are read by their content, below.
//  2. Data (this file): JSON goes to the table of JSON documents; the rest
//     (and a .yaml file that is not valid JSON) is a YAML stream of
//     Kubernetes manifests.
//  3. JSON documents: the rows of the table, tried in order; the first
//     whose match claims the document decodes it.
package detect

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/jsontree"
	"github.com/aksguard/aksguard/internal/source/arm"
	"github.com/aksguard/aksguard/internal/source/auditlog"
	"github.com/aksguard/aksguard/internal/source/manifest"
	"github.com/aksguard/aksguard/internal/source/terraform"
)

// Params is what decoding a JSON document may need from the scan's
// options.
type Params struct {
	// TemplateParameters are ARM template parameter values (from
	// --parameters FILE), by parameter name.
	TemplateParameters map[string]*jsontree.Node
	// Audit receives the events of an audit log (nil: read for its
	// coverage only).
	Audit inventory.AuditObserver
}

// Row is one kind of JSON document: its name, how it is recognised (from
// the parsed top level), and its decoder.
type Row struct {
	Name   string
	Match  func(root *jsontree.Node) bool
	Decode func(root *jsontree.Node, data []byte, file string, p Params) *inventory.Batch
}

// Names of the rows.
const (
	AuditLog       = "audit-log"
	Kubernetes     = "kubernetes"
	ARMTemplate    = "arm-template"
	ARMParameters  = "arm-parameters"
	TerraformPlan  = "terraform-plan"
	TerraformState = "terraform-state"
	AzureResources = "azure"
)

// ParametersSkipped is the skip reason of an ARM parameters file met as an
// input.
const ParametersSkipped = "ARM deployment parameters file (give it with --parameters FILE next to its template)"

// Table is the ordered table of JSON document kinds. The first row that
// matches decodes the document; the last row matches everything.
var Table = []Row{
	// First: an audit log (an audit.k8s.io Event or EventList, Log
	// Analytics rows of AKSAudit or AzureDiagnostics, diagnostic records)
	// is recognised by the keys of its first record; before the Kubernetes
	// row, which would claim an Event (string apiVersion and kind). Files
	// and standard input reach auditlog before this table, streamed
	// (internal/source); this row reads one held whole.
	{AuditLog, isAuditLog, func(_ *jsontree.Node, data []byte, file string, p Params) *inventory.Batch {
		return decodeAuditLog(data, auditlog.Sniff(data), file, p)
	}},
	// First: a Kubernetes object or List is recognised by a string
	// apiVersion and kind at its top level and none of the marks of an ARM
	// resource or template (properties, $schema, resources, an apiVersion
	// that is a date). Those marks keep ARM bodies (which also carry
	// apiVersion and, for some, kind) and templates out; it comes before
	// the Terraform plan row so that an object whose own fields happen to
	// be format_version and values stays a Kubernetes object.
	{Kubernetes, isKubernetesJSON, func(_ *jsontree.Node, data []byte, file string, _ Params) *inventory.Batch {
		return manifest.DecodeJSON(data, file)
	}},
	// Before the parameters row: a template is recognised by a $schema
	// naming a deploymentTemplate or by resources that are typed ARM
	// resources, also inside the {"template": {...}} wrapper of the export
	// API, which may sit next to a parameters $schema.
	{ARMTemplate, arm.IsTemplate, func(root *jsontree.Node, _ []byte, file string, p Params) *inventory.Batch {
		return arm.DecodeTemplate(root, file, p.TemplateParameters)
	}},
	// A parameters file met as an input (while walking a directory) is not
	// an input of its own: it is given with --parameters. Before the
	// fallback, which would read it as az JSON holding nothing.
	{ARMParameters, arm.IsParametersFile, func(*jsontree.Node, []byte, string, Params) *inventory.Batch {
		return &inventory.Batch{Skipped: ParametersSkipped}
	}},
	// `terraform show -json`: format_version with planned_values,
	// resource_changes or values at the top level. After the ARM rows,
	// which claim only documents carrying ARM marks a plan never has.
	{TerraformPlan, terraform.IsPlanNode, func(_ *jsontree.Node, data []byte, file string, _ Params) *inventory.Batch {
		return terraform.DecodePlanJSON(data, file)
	}},
	// A raw state file (terraform.tfstate): version and terraform_version
	// and no format_version, so it never claims what the plan row claims;
	// after the ARM rows, whose marks ($schema, typed ARM resources) a
	// state never has.
	{TerraformState, terraform.IsStateNode, func(root *jsontree.Node, data []byte, file string, _ Params) *inventory.Batch {
		return terraform.DecodeStateJSON(data, root, file)
	}},
	// Last, the fallback: az CLI JSON, ARM REST bodies and lists, companion
	// Azure JSON; arm.Decode says what it cannot read.
	{AzureResources, func(*jsontree.Node) bool { return true }, func(root *jsontree.Node, _ []byte, file string, _ Params) *inventory.Batch {
		return arm.Decode(root, file)
	}},
}

// isKubernetesJSON reports whether a JSON document is a Kubernetes object
// or List: string apiVersion and kind at the top level, spelled exactly so,
// and none of the marks of an ARM resource (properties, an apiVersion that
// is a date).
func isKubernetesJSON(root *jsontree.Node) bool {
	if root == nil || root.Kind != jsontree.Object {
		return false
	}
	var apiVersion, kind string
	arm := false
	for _, m := range root.Members {
		switch m.Key {
		case "apiVersion":
			if m.Value.Kind == jsontree.String {
				apiVersion = m.Value.Str
			}
		case "kind":
			if m.Value.Kind == jsontree.String {
				kind = m.Value.Str
			}
		case "properties", "$schema", "resources":
			arm = true
		}
	}
	return manifest.IsObject(apiVersion, kind, arm)
}

// Kind is the name of the row that claims a parsed JSON document.
func Kind(root *jsontree.Node) string {
	return match(root).Name
}

func match(root *jsontree.Node) Row {
	for _, r := range Table {
		if r.Match(root) {
			return r
		}
	}
	panic("detect: the last row must match everything")
}

// JSON detects the kind of one JSON document and decodes it. An explicit
// input (named by the user, or an ARM body read live) that is not JSON is
// an error; one met while walking a directory is skipped.
func JSON(data []byte, file string, explicit bool, p Params) *inventory.Batch {
	if !jsontree.LooksLikeJSON(data) {
		if explicit {
			return &inventory.Batch{Errors: []inventory.InputError{{Input: file, Line: 1,
				Message: "not JSON: give az CLI JSON (-o json), an ARM REST body or template, `terraform show -json` output, or a directory of .tf files"}}}
		}
		return &inventory.Batch{Skipped: NotJSON}
	}
	root, err := jsontree.Parse(data)
	if err != nil {
		var se *jsontree.SyntaxError
		line := 0
		if errors.As(err, &se) {
			line = se.Line
			err = errors.New(se.Msg)
		}
		return &inventory.Batch{Errors: []inventory.InputError{{Input: file, Line: line,
			Message: fmt.Sprintf("invalid JSON: %v; fix the file or regenerate it (e.g. az aks show -o json > file.json)", err)}}}
	}
	return match(root).Decode(root, data, file, p)
}

// NotJSON is the skip reason of a file met while walking a directory that
// is neither JSON nor named .yaml/.yml.
const NotJSON = "not JSON"

// Data detects the kind of one input read whole: JSON goes to the table
// (a Kubernetes object straight to the manifest decoder, without building
// a JSON tree of a large kubectl get -o json); a .yaml/.yml file that looks
// like JSON but is not valid JSON is YAML (a flow mapping); the rest is a
// YAML stream of manifests when it was named explicitly or is named
// .yaml/.yml, else skipped.
func Data(data []byte, file string, explicit, yamlExt bool, p Params) *inventory.Batch {
	if k := auditlog.Sniff(data); k != auditlog.None {
		return decodeAuditLog(data, k, file, p)
	}
	if jsontree.LooksLikeJSON(data) {
		if manifest.IsObjectJSON(data) {
			return manifest.DecodeJSON(data, file)
		}
		if !yamlExt || json.Valid(data) {
			return JSON(data, file, explicit, p)
		}
		return manifest.Decode(data, file)
	}
	if !explicit && !yamlExt {
		return &inventory.Batch{Skipped: NotJSON}
	}
	return NotPlainText(manifest.Decode(data, file), file, explicit)
}

// NotPlainText turns an explicit input that is not JSON or YAML data into
// an error.
func NotPlainText(b *inventory.Batch, file string, explicit bool) *inventory.Batch {
	if explicit && b.Skipped == manifest.PlainText {
		return &inventory.Batch{Errors: []inventory.InputError{{Input: file, Line: 1,
			Message: "neither JSON nor YAML data: give az CLI JSON (-o json), an ARM REST body or template, `terraform show -json` output, a directory of .tf files, or Kubernetes manifests (YAML or JSON with apiVersion and kind)"}}}
	}
	return b
}

// isAuditLog reports whether a parsed JSON document is an audit log: the
// keys of its first record (the top-level object, or the first element of
// a top-level array) as auditlog.Classify reads them.
func isAuditLog(root *jsontree.Node) bool {
	rec := root
	if rec != nil && rec.Kind == jsontree.Array {
		if len(rec.Items) == 0 {
			return false
		}
		rec = rec.Items[0]
	}
	if rec == nil || rec.Kind != jsontree.Object {
		return false
	}
	keys := make(map[string]string, len(rec.Members))
	for _, m := range rec.Members {
		switch m.Value.Kind {
		case jsontree.String:
			keys[m.Key] = m.Value.Str
		case jsontree.Object, jsontree.Array:
			keys[m.Key] = auditlog.ContainerValue
		default:
			keys[m.Key] = ""
		}
	}
	return auditlog.Classify(keys) != auditlog.None
}

// decodeAuditLog reads an audit log held whole through the streaming
// reader.
func decodeAuditLog(data []byte, k auditlog.Kind, file string, p Params) *inventory.Batch {
	if k == auditlog.None {
		return &inventory.Batch{Errors: []inventory.InputError{{Input: file, Line: 1,
			Message: "an audit log aksguard cannot cut into records: give the kube-apiserver's JSON lines or an export of AKSAudit, AKSAuditAdmin or AzureDiagnostics"}}}
	}
	return auditlog.Read(bufio.NewReader(bytes.NewReader(data)), k, auditlog.Options{Input: file, Observer: p.Audit}).Batch()
}

package secrets

import (
	"strconv"
	"strings"

	"github.com/aksguard/aksguard/internal/check"
	"github.com/aksguard/aksguard/internal/checks/kit"
	"github.com/aksguard/aksguard/internal/checks/kit/secctx"
	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/secretscan"
)

var sec001 = &check.Control{
	ID: "AKS-SEC-001", Title: "No secrets in plain env", Severity: check.High, Area: kit.AreaSecrets,
	Inputs:      []check.Input{check.K8S},
	Reads:       []string{inventory.ColWorkloads, inventory.ColConfigMaps},
	Rationale:   "A credential written as a literal env value or ConfigMap entry is stored in plain text in the manifest, in Git, in etcd without Secret protections and in every `kubectl get -o yaml`; Secrets (or Azure Key Vault through the Secrets Store CSI driver) keep it out of the pod spec.",
	FailsWhen:   "An env var of any container (containers, init and ephemeral containers), or a ConfigMap key, whose name contains a credential word (password, passwd, pwd, secret, token, apikey/api_key, access_key, private_key, client_secret, connection_string, credential; any case, with -, . or _ separators) has a literal non-empty value; or whose literal value, whatever the name, holds a secret in a known format (a PEM private key, AWS access key IDs, GitHub, GitLab, Slack, Stripe live, npm and Google API keys, Azure storage account keys, connection strings with AccountKey=, SharedAccessKey= or Password=, SAS signatures sig=, JSON Web Tokens, passwords in URLs). valueFrom passes. The value is never printed or kept: the evidence names the key and the kind of secret.",
	Remediation: "Move the value to a Secret and use valueFrom.secretKeyRef (or the Key Vault CSI driver).",
	References: []string{"https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables",
		"https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
		"https://learn.microsoft.com/azure/aks/csi-secrets-store-driver"},
	// Not mapped: CIS 4.5.1 is about Secrets referenced from environment
	// variables (secretKeyRef), which this control passes; it flags literal
	// values.
	Run: runSEC001,
}

// credentialWords are the name fragments of AKS-SEC-001, with - and .
// written as _ (names are compared lower-cased with - and . turned into _).
var credentialWords = []string{"client_secret", "connection_string", "private_key", "access_key", "api_key", "apikey", "credential", "password", "passwd", "secret", "token", "pwd"}

// compactWords catch camelCase spellings (accessKey, privateKey) once
// separators are removed.
var compactWords = []string{"clientsecret", "connectionstring", "privatekey", "accesskey"}

// credentialQualifiers end a name whose value is about a credential, not
// the credential: where to find it (POSTGRES_PASSWORD_FILE, the pattern
// images use to read a mounted Secret; SECRET_KEY_PATH, *_SECRET_NAME,
// *_SECRET_KEY_CMD) or how to use it (TOKEN_SERVICE_URL,
// REGISTRY_CREDENTIAL_USERNAME, TOKEN_TTL).
var credentialQualifiers = []string{"file", "files", "filename", "path", "dir", "cmd", "command", "name", "ref",
	"url", "uri", "endpoint", "host", "port", "username", "user", "type", "mode", "ttl", "timeout", "expiry", "expiration", "lifetime", "length"}

// nameSeparators turns the separators of a variable or key name into '_'
// (built once: a Replacer builds its tables on first use, and is safe for
// concurrent use).
var nameSeparators = strings.NewReplacer("-", "_", ".", "_")

// credentialWord returns the credential word a variable or key name holds,
// or "" when it holds none or is qualified as not being the credential
// itself (see credentialQualifiers; *_NUM_TOKENS counts ring tokens,
// ENABLE_* / DISABLE_* / ALLOW_* are switches). PWD and OLDPWD hold the
// catalog's word pwd and are judged like any other name.
func credentialWord(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	n = nameSeparators.Replace(n)
	word := ""
	for _, w := range credentialWords {
		if strings.Contains(n, w) {
			word = w
			break
		}
	}
	compact := strings.ReplaceAll(n, "_", "")
	if word == "" {
		for _, w := range compactWords {
			if strings.Contains(compact, w) {
				word = w
				break
			}
		}
	}
	if word == "" {
		return ""
	}
	// A qualifier after the credential word: PASSWORD_FILE, passwordFile.
	tail := compact[strings.LastIndex(compact, strings.ReplaceAll(word, "_", ""))+len(strings.ReplaceAll(word, "_", "")):]
	for _, q := range credentialQualifiers {
		if tail != "" && strings.HasSuffix(tail, q) {
			return ""
		}
	}
	parts := strings.Split(n, "_")
	switch parts[0] {
	case "enable", "disable", "allow": // a switch: ENABLE_M2M_TOKENS
		return ""
	}
	for _, part := range parts {
		if part == "num" || part == "count" {
			return ""
		}
	}
	return word
}

// notACredentialValue reports literal values that cannot be a credential:
// a boolean switch (ALLOW_EMPTY_PASSWORD: "yes", ENABLE_TOKENS: "true") or
// a reference to another variable ("$(DB_PASSWORD)"). The value is only
// inspected, never kept.
func notACredentialValue(v string) bool {
	t := strings.ToLower(strings.TrimSpace(v))
	switch t {
	case "true", "false", "yes", "no", "on", "off", "enabled", "disabled":
		return true
	}
	return strings.HasPrefix(t, "$(") && strings.HasSuffix(t, ")") && !strings.Contains(t[2:], "$(")
}

// envFinding is one env var with a literal credential; it never holds the
// value. kind names the secret the value was recognised as, if any.
type envFinding struct {
	name, word, kind, path string
}

// literalNote is the evidence value of a literal credential: its name and
// what it was recognised as, never the value.
func literalNote(name, kind string) string {
	if kind != "" {
		return name + ": literal value holding " + kind + " (not shown)"
	}
	return name + ": literal value (not shown)"
}

// runSEC001 judges env vars per container and ConfigMap keys per ConfigMap.
// Only names reach the results: values are read to tell literal from empty
// and are never copied.
func runSEC001(ctx *check.Context) []check.Result {
	envs := secctx.PerContainer(secctx.ContainerControl{PassMsg: "no container has a credential in a literal env value",
		Judge: func(*check.Context) func(c *secctx.PodContainer) secctx.Verdict {
			return func(c *secctx.PodContainer) secctx.Verdict {
				var found []envFinding
				for i, e := range c.C.Env {
					if e.ValueFrom != nil || e.Value == "" {
						continue
					}
					// A value in a known secret format is a credential
					// whatever the name; a name with a credential word
					// holds one unless the value is a switch or a
					// reference.
					kind := secretscan.Detect(e.Value)
					w := credentialWord(e.Name)
					if kind != "" || w != "" && !notACredentialValue(e.Value) {
						found = append(found, envFinding{name: e.Name, word: w, kind: kind, path: c.Path() + ".env[" + strconv.Itoa(i) + "]"})
					}
				}
				if len(found) == 0 {
					return secctx.Passed(kit.KubeEv(&c.W.Meta, c.Path()+".env", "no literal credential ("+kit.Plural(len(c.C.Env), "variable")+")"))
				}
				names := make([]string, len(found))
				ev := make([]kit.Evidence, len(found))
				for i, f := range found {
					names[i] = f.name
					ev[i] = kit.KubeEv(&c.W.Meta, f.path+".value", literalNote(f.name, f.kind))
				}
				return secctx.Verdict{Status: check.Fail,
					Message: c.Label() + " has a literal credential in env " + strings.Join(names, ", "),
					Fix:     "move the value of " + strings.Join(names, ", ") + " (" + c.Where() + ") to a Secret and use valueFrom.secretKeyRef (or the Key Vault CSI driver)",
					Ev:      ev}
			}
		}})(ctx)
	cms := kit.PerKube(func(_ *check.Context, k *inventory.Kube, o *kit.KubeOut) {
		for _, cm := range k.ConfigMaps {
			var names []string
			var ev []kit.Evidence
			for _, key := range cm.Keys {
				if !key.Literal || credentialWord(key.Name) == "" && key.SecretKind == "" {
					continue
				}
				field := "data"
				if key.Binary {
					field = "binaryData"
				}
				names = append(names, key.Name)
				ev = append(ev, kit.KubeEv(&cm.Meta, field+"["+key.Name+"]", literalNote(key.Name, key.SecretKind)))
			}
			name := secctx.WorkloadName(&cm.Meta)
			if len(names) == 0 {
				o.Emit(&cm.Meta, check.Pass, name+" has no key named like a credential with a literal value, and no value in a known secret format", "",
					kit.KubeEv(&cm.Meta, "data", kit.Plural(len(cm.Keys), "key")))
				continue
			}
			o.Emit(&cm.Meta, check.Fail, name+" holds a literal credential in key "+strings.Join(names, ", "),
				"move the value of "+strings.Join(names, ", ")+" from "+name+" to a Secret and use valueFrom.secretKeyRef (or the Key Vault CSI driver)", ev...)
		}
	})(ctx)
	return append(envs, cms...)
}

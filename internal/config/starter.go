package config

// Starter is the commented configuration `aksguard init` writes. Every key
// is present and valid; a test parses it.
const Starter = `# aksguard configuration. aksguard reads .aksguard.yaml from the working
# directory (or --config FILE). Unknown keys are errors. Docs: docs/configuration.md

# Registries images may come from (AKS-IMG-001). Host names, optionally with a
# path prefix; globs allowed. Empty: mcr.microsoft.com plus the cluster's ACRs
# when known, else any *.azurecr.io.
trustedRegistries: []
#  - myregistry.azurecr.io
#  - mcr.microsoft.com

# AKS-IMG-002 also fails images referenced without a digest.
requireDigest: false

# Severity overrides: critical, high, medium or low.
severity: {}
#  AKS-NOD-001: medium

# Controls that are not run at all (prefer a waiver with a reason and expiry).
disabled: []
#  - AKS-ACC-008

# Namespaces left out of Kubernetes findings (counted as excluded in the summary).
excludedNamespaces: []

# Report AKS-managed and system objects too (kube-system, gatekeeper-system,
# calico-system, tigera-operator, kubernetes.azure.com/managedby: aks, system: and aks- RBAC).
includeSystem: false

allow:
  # hostPath volumes allowed when mounted read-only (AKS-WKL-008).
  hostPaths: []
  #  - /var/log
  # Public LoadBalancer services allowed (namespace/name, globs) (AKS-NET-005).
  publicLoadBalancers: []
  #  - ingress-nginx/ingress-nginx-controller
  # Audit-log events the audit controls (AKS-AUD-*) do not report (counted in
  # their evidence): the user matches one of users (globs) and a source IP is
  # in one of sourceIPs (addresses or CIDR ranges); either may be left out;
  # controls: the audit controls it applies to (all when left out).
  audit: []
  #  - users: [ci-deployer@contoso.com, "system:serviceaccount:ci:*"]
  #    sourceIPs: [203.0.113.0/24]
  #    controls: [AKS-AUD-002]

# 0 means the default.
thresholds:
  authorizedRangePrefix: 0   # AKS-ACC-002: ranges wider than /N fail (default 16)
  nodeImageMaxAgeDays: 0     # AKS-UPG-007 without an upgrade profile (default 30)
  rebootWaitHours: 0         # AKS-UPG-008 (default 24)
  certificateMaxAgeDays: 0   # AKS-IDN-006 (default 365)
  credentialExpiryDays: 0    # AKS-IDN-003 (default 30)
  auditForbiddenBurst: 0     # AKS-AUD-008: this many 403s from one identity ... (default 20)
  auditForbiddenWindowSeconds: 0  # ... within this many seconds fail (default 300)

# Accepted findings. A waived result is reported as "waived" with its reason;
# an expired waiver is reported and no longer applied. resource is
# Kind/namespace/name or Kind/name (AgentPool/cluster/pool); globs allowed.
waivers: []
#  - control: AKS-NOD-001
#    resource: AgentPool/aks-prod/gpu
#    reason: the GPU vendor's support needs SSH on these nodes (ticket OPS-123)
#    expires: 2027-03-31

# Ignore aksguard.io/waive annotations on objects: only this file can waive.
strict: false
`

// Package secretscan recognises credentials by their value: PEM private
// keys and the well-known token and key formats (cloud access keys,
// GitHub, GitLab, Slack, Stripe, Google API keys, Azure storage keys,
// connection strings and SAS tokens, JWTs, passwords in URLs). It says
// which kind of secret a value holds and never returns, keeps or prints
// the value; callers keep only the kind.
package secretscan

import (
	"regexp"
	"strings"
)

// pattern is one kind of secret.
type pattern struct {
	kind string
	re   *regexp.Regexp
	// keep, when set, rejects matches that are placeholders.
	keep func(match string) bool
}

var patterns = []pattern{
	{kind: "a PEM private key", re: regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`)},
	{kind: "an AWS access key ID", re: regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`)},
	{kind: "a GitHub token", re: regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b`)},
	{kind: "a GitLab token", re: regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}\b`)},
	{kind: "a Slack token", re: regexp.MustCompile(`\bxox[abposre]-[A-Za-z0-9-]{10,}`)},
	{kind: "a Slack webhook URL", re: regexp.MustCompile(`https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+`)},
	{kind: "a Stripe live key", re: regexp.MustCompile(`\b[rs]k_live_[0-9A-Za-z]{20,}\b`)},
	{kind: "a Google API key", re: regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`)},
	{kind: "an npm token", re: regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`)},
	{kind: "an Azure connection string with an account or shared access key", re: regexp.MustCompile(`(?i)\b(?:AccountKey|SharedAccessKey)=[^;"'\s]{8,}`),
		keep: assignedValue},
	{kind: "a connection string with a password", re: regexp.MustCompile(`(?i)(?:^|;)\s*(?:Password|Pwd)\s*=\s*[^;"'\s]{4,}`),
		keep: assignedValue},
	{kind: "an Azure SAS token", re: regexp.MustCompile(`(?:^|[?&])sig=[A-Za-z0-9%+/=_-]{16,}`)},
	{kind: "a JSON Web Token", re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)},
	{kind: "a password in a URL", re: regexp.MustCompile(`\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@`),
		keep: func(m string) bool {
			userinfo := m[strings.Index(m, "://")+3 : len(m)-1]
			_, pw, _ := strings.Cut(userinfo, ":")
			return !placeholder(pw)
		}},
}

// assignedValue keeps a key=value match whose value is not a placeholder.
func assignedValue(m string) bool {
	_, v, _ := strings.Cut(m, "=")
	return !placeholder(v)
}

// storageKey is an Azure storage account key written alone: 64 random
// bytes in base64 (88 characters ending in ==).
var storageKey = regexp.MustCompile(`^[A-Za-z0-9+/]{86}==$`)

// placeholder reports values that stand for a secret without being one:
// variable references and templates ($VAR, $(VAR), ${VAR}, {{ .x }},
// <password>), and runs of one character (****, xxxx).
func placeholder(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsAny(v[:1], "$<{%*") || strings.Contains(v, "{{") {
		return true
	}
	return strings.Count(v, v[:1]) == len(v)
}

// Detect returns the kind of secret value holds ("a PEM private key",
// "a GitHub token", …), or "" when it recognises none. The value is only
// inspected.
func Detect(value string) string {
	if len(value) < 16 {
		return ""
	}
	if storageKey.MatchString(strings.TrimSpace(value)) {
		return "an Azure storage account key"
	}
	for _, p := range patterns {
		for _, m := range p.re.FindAllString(value, 8) {
			if p.keep == nil || p.keep(m) {
				return p.kind
			}
		}
	}
	return ""
}

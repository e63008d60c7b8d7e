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
	// need lists literals of which every match holds at least one (all,
	// when needAll): a value holding none cannot match, so the regular
	// expression is not run on it (most values hold none). fold: the
	// literals are lower-case and matched ASCII case-insensitively, for
	// the (?i) patterns.
	need    []string
	needAll bool
	fold    bool
	// assigned: a literal counts only where it is followed by optional
	// white space and "=" (a key being assigned, not the word in prose),
	// and where it starts the value or a ";"-separated clause (optional
	// white space before it).
	assigned bool
	// pre, when set, is a further test every match passes: a value
	// failing it is not searched.
	pre func(value string) bool
	// keep, when set, rejects matches that are placeholders.
	keep func(match string) bool
}

var patterns = []pattern{
	{kind: "a PEM private key", re: regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`),
		need: []string{"PRIVATE KEY"}},
	{kind: "an AWS access key ID", re: regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`),
		need: []string{"AKIA", "ASIA", "ABIA", "ACCA"}},
	{kind: "a GitHub token", re: regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b`),
		need: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}},
	{kind: "a GitLab token", re: regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}\b`),
		need: []string{"glpat-"}},
	{kind: "a Slack token", re: regexp.MustCompile(`\bxox[abposre]-[A-Za-z0-9-]{10,}`),
		need: []string{"xox"}},
	{kind: "a Slack webhook URL", re: regexp.MustCompile(`https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+`),
		need: []string{"https://hooks.slack.com/services/T"}},
	{kind: "a Stripe live key", re: regexp.MustCompile(`\b[rs]k_live_[0-9A-Za-z]{20,}\b`),
		need: []string{"k_live_"}},
	{kind: "a Google API key", re: regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`),
		need: []string{"AIza"}},
	{kind: "an npm token", re: regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`),
		need: []string{"npm_"}},
	{kind: "an Azure connection string with an account or shared access key", re: regexp.MustCompile(`(?i)\b(?:AccountKey|SharedAccessKey)=[^;"'\s]{8,}`),
		need: []string{"accountkey=", "sharedaccesskey="}, fold: true, keep: assignedValue},
	{kind: "a connection string with a password", re: regexp.MustCompile(`(?i)(?:^|;)\s*(?:Password|Pwd)\s*=\s*[^;"'\s]{4,}`),
		need: []string{"password", "pwd"}, fold: true, assigned: true, keep: assignedValue},
	{kind: "an Azure SAS token", re: regexp.MustCompile(`(?:^|[?&])sig=[A-Za-z0-9%+/=_-]{16,}`),
		need: []string{"sig="}},
	{kind: "a JSON Web Token", re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`),
		need: []string{"eyJ"}},
	{kind: "a password in a URL", re: regexp.MustCompile(`\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@`),
		need: []string{"://", "@"}, needAll: true, pre: mayHoldUserinfo,
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
	if t := strings.TrimSpace(value); len(t) == 88 && storageKey.MatchString(t) {
		return "an Azure storage account key"
	}
	ascii := isASCII(value)
	for i := range patterns {
		p := &patterns[i]
		if !p.mayMatch(value, ascii) {
			continue
		}
		for _, m := range p.re.FindAllString(value, 8) {
			if p.keep == nil || p.keep(m) {
				return p.kind
			}
		}
	}
	return ""
}

// mayMatch reports whether value holds the literals every match of p
// holds. A value with bytes outside ASCII always may match a fold pattern:
// (?i) folds some non-ASCII letters onto ASCII ones (the Kelvin sign onto
// k), which the ASCII comparison here would not see.
func (p *pattern) mayMatch(value string, ascii bool) bool {
	return p.holdsLiterals(value, ascii) && (p.pre == nil || p.pre(value))
}

// holdsLiterals is mayMatch's test of the literals (need).
func (p *pattern) holdsLiterals(value string, ascii bool) bool {
	if p.fold && !ascii {
		return true
	}
	for _, lit := range p.need {
		var found bool
		if p.fold {
			found = containsFoldASCII(value, lit, p.assigned)
		} else {
			found = strings.Contains(value, lit)
		}
		if found != p.needAll {
			return found
		}
	}
	return p.needAll || len(p.need) == 0
}

// mayHoldUserinfo reports whether s holds, after a "://" with a character
// of a scheme before it, what the password-in-a-URL pattern needs there: a
// user (one or more bytes other than "/", white space, ":" and "@"), ":", a
// password (one or more bytes other than "/", white space and "@") and "@".
// Most values with "://" and "@" have them apart (an e-mail address beside
// a URL).
func mayHoldUserinfo(s string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], "://")
		if i < 0 {
			return false
		}
		i += from
		from = i + 3
		if i == 0 || !schemeByte(s[i-1]) {
			continue
		}
		j := from
		for j < len(s) && !userStop(s[j]) && s[j] != ':' {
			j++
		}
		if j == from || j == len(s) || s[j] != ':' {
			continue
		}
		k := j + 1
		for k < len(s) && !userStop(s[k]) {
			k++
		}
		if k > j+1 && k < len(s) && s[k] == '@' {
			return true
		}
	}
}

// schemeByte: [a-zA-Z0-9+.-], what a URL scheme is made of.
func schemeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '.' || c == '-'
}

// userStop: the bytes that end the user or password of a URL's userinfo
// ("/", "@" and the regular expressions' \s).
func userStop(c byte) bool {
	return c == '/' || c == '@' || reSpace(c)
}

// reSpace: the regular expressions' \s (tab, newline, form feed, carriage
// return, space).
func reSpace(c byte) bool {
	switch c {
	case '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

// containsFoldASCII reports whether s holds lit (lower-case ASCII) in any
// ASCII case.
func containsFoldASCII(s, lit string, assigned bool) bool {
	lo, up := lit[0], lit[0]
	if 'a' <= lo && lo <= 'z' {
		up = lo - 'a' + 'A'
	}
	for i := 0; i+len(lit) <= len(s); i++ {
		if (s[i] == lo || s[i] == up) && strings.EqualFold(s[i:i+len(lit)], lit) &&
			(!assigned || assignedAt(s, i+len(lit)) && clauseAt(s, i)) {
			return true
		}
	}
	return false
}

// assignedAt reports whether s from i holds optional white space (\s)
// and then "=".
func assignedAt(s string, i int) bool {
	for i < len(s) && reSpace(s[i]) {
		i++
	}
	return i < len(s) && s[i] == '='
}

// clauseAt reports whether s before i holds optional white space (\s)
// after the start of s or a ";".
func clauseAt(s string, i int) bool {
	for i > 0 && reSpace(s[i-1]) {
		i--
	}
	return i == 0 || s[i-1] == ';'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

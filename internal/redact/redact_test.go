package redact

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct {
		name    string
		values  any
		secrets []string
		in      string
		want    string
	}{
		{"known value anywhere", map[string]any{"db": map[string]any{"host": "db.internal.example"}},
			nil, `cannot parse "host: db.internal.example" here`, `cannot parse "host: [redacted]" here`},
		{"value under a secret-like key, short", map[string]any{"auth": map[string]any{"pin": "x9"}},
			nil, `error: "x9" is not valid`, `error: "[redacted]" is not valid`},
		{"secret-like key by shape", nil, nil,
			"values: {password: hunter22, user: bob}", "values: {password: [redacted], user: bob}"},
		{"quoted JSON member", nil, nil,
			`{"clientSecret": "s3cr3t value", "name": "x"}`, `{"clientSecret": [redacted], "name": "x"}`},
		{"connection string key", nil, nil,
			"connectionString=Server=tcp:db;Password=abc", "connectionString=[redacted]"},
		{"env-like assignment", nil, nil,
			"invalid line DB_HOST=10.0.0.1 in env", "invalid line DB_HOST=[redacted] in env"},
		{"generator literal without =", nil, []string{"justAValueNoEquals"},
			`invalid literal source justAValueNoEquals, expected key=value`, `invalid literal source [redacted], expected key=[redacted]`},
		{"multi-line value quoted with %q", map[string]any{"block": "line one here\npassword: Pl4nt3d"},
			nil, `error for "line one here\npassword: Pl4nt3d": bad`, `error for "[redacted]": bad`},
		{"short plain value kept", map[string]any{"replicas": "on"},
			nil, "turn it on", "turn it on"},
		{"numbers and booleans are not values", map[string]any{"n": 12345, "b": true},
			nil, "line 12345 is true", "line 12345 is true"},
		{"longest value first", map[string]any{"a": "abcd", "b": "abcdefgh"},
			nil, "abcdefgh", "[redacted]"},
		{"nothing secret", nil, nil, "template: web/templates/x.yaml:3: function \"nope\" not defined",
			"template: web/templates/x.yaml:3: function \"nope\" not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New()
			r.AddValues(tt.values)
			r.AddSecret(tt.secrets...)
			if got := r.Text(tt.in); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// Kept names (templates, files) survive a value that is part of them; the
// value is still redacted elsewhere.
func TestKeep(t *testing.T) {
	r := New()
	r.AddValues(map[string]any{"name": "webapp", "password": "webapp-pw"})
	r.Keep("webapp/templates/deployment.yaml")
	in := `template: webapp/templates/deployment.yaml:3:5: bad value "webapp" and webapp-pw`
	want := `template: webapp/templates/deployment.yaml:3:5: bad value "[redacted]" and [redacted]`
	if got := r.Text(in); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestZeroRedactorStillRedactsByShape(t *testing.T) {
	var r *Redactor
	if got := r.Text("token: abc123"); strings.Contains(got, "abc123") {
		t.Errorf("got %q", got)
	}
}

func TestIsSecretKey(t *testing.T) {
	for k, want := range map[string]bool{
		"password": true, "adminPassword": true, "client_secret": true, "apiToken": true,
		"storageKey": true, "connectionString": true, "image": false, "replicas": false, "name": false,
	} {
		if got := IsSecretKey(k); got != want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", k, got, want)
		}
	}
}

// FuzzText: a known secret never survives redaction, whatever text
// surrounds it.
func FuzzText(f *testing.F) {
	f.Add("error: password: %s here", "hunter22")
	f.Add(`cannot parse %q`, "line one\nline \"two\"")
	f.Add("%s%s", "abcd")
	f.Fuzz(func(t *testing.T, format, secret string) {
		if len(secret) < minSecretValue || strings.TrimSpace(secret) != secret || strings.Contains(secret, "\n") {
			return
		}
		r := New()
		r.AddSecret(secret)
		in := strings.ReplaceAll(format, "%s", secret)
		if !strings.Contains(in, secret) {
			in += " " + secret
		}
		// The mask itself, and the mask's first or last bytes joined with
		// the text beside it ("0" + "[redacted]" for the secret "0["), are
		// no leak: the secret must not appear once each mask is cut out.
		got := r.Text(in)
		if strings.Contains(secret, "\x00") {
			return
		}
		if strings.Contains(strings.ReplaceAll(got, Mask, "\x00"), secret) {
			t.Errorf("Text(%q) = %q still holds %q", in, got, secret)
		}
	})
}

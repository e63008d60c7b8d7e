package secretscan

import (
	"strings"
	"testing"
)

// The values below are made up in the formats of real secrets; none is a
// live credential.
func TestDetect(t *testing.T) {
	for _, c := range []struct{ name, value, want string }{
		{"pem rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAplanted\n-----END RSA PRIVATE KEY-----\n", "a PEM private key"},
		{"pem pkcs8 in json", `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQplanted\n-----END PRIVATE KEY-----\n"}`, "a PEM private key"},
		{"pem openssh", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEplanted", "a PEM private key"},
		{"pem encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFplanted", "a PEM private key"},
		{"aws", "AKIAPLANTED0EXAMPLE1", "an AWS access key ID"},
		{"aws in config", "[default]\naws_access_key_id = ASIAPLANTED0EXAMPLE1\n", "an AWS access key ID"},
		{"github classic", "ghp_Pl4nt3dT0k3nV4lu3F0rT3st1ngOnly01234", "a GitHub token"},
		{"github fine-grained", "github_pat_11PLANTED0000000000000_abcdefghijklmnopqrstuvwxyz0123456789", "a GitHub token"},
		{"gitlab", "glpat-Pl4nt3dT0k3nV4lu3xyz", "a GitLab token"},
		{"slack bot", "xoxb-123456789012-1234567890123-Pl4nt3dT0k3n", "a Slack token"},
		{"slack webhook", "https://hooks.slack.com/services/T0PLANTED/B0PLANTED/Pl4nt3dW3bh00kS3cr3t", "a Slack webhook URL"},
		{"stripe", "sk_live_Pl4nt3dStr1p3K3yV4lu3xyz", "a Stripe live key"},
		{"google", "AIzaSyPl4nt3dG00gl3K3yV4lu3F0rT3st1ng01", "a Google API key"},
		{"npm", "npm_Pl4nt3dNpmT0k3nV4lu3F0rT3st1ng012345", "an npm token"},
		{"storage connection string", "DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=UGxhbnRlZEtleQ0123456789abcdef==;EndpointSuffix=core.windows.net", "an Azure connection string with an account or shared access key"},
		{"service bus", "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=UGxhbnRlZEtleQ0123456789=", "an Azure connection string with an account or shared access key"},
		{"sql password", "Server=tcp:shop.database.windows.net,1433;User ID=app;Password=Pl4nt3d-pw;Encrypt=true", "a connection string with a password"},
		{"storage key alone", "UGxhbnRlZFN0b3JhZ2VBY2NvdW50S2V5Rm9yVGVzdGluZ09ubHlOb3RSZWFsUGxhbnRlZEtleTAxMjM0NTY3OA==", "an Azure storage account key"},
		{"sas url", "https://shop.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01&sig=UGxhbnRlZFNhc1NpZ25hdHVyZQ%3D%3D", "an Azure SAS token"},
		{"sas alone", "sv=2022-11-02&ss=b&sig=UGxhbnRlZFNhc1NpZ25hdHVyZQ%3D%3D", "an Azure SAS token"},
		{"jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.UGxhbnRlZFNpZ25hdHVyZQ", "a JSON Web Token"},
		{"url password", "postgres://app:Pl4nt3d-pw@db.shop.svc:5432/orders", "a password in a URL"},

		// Not secrets.
		{"plain text", "the quick brown fox jumps over the lazy dog", ""},
		{"short", "AKIA", ""},
		{"url without password", "https://user@example.com/path/to/something", ""},
		{"url password variable", "postgres://app:$(DB_PASSWORD)@db:5432/orders", ""},
		{"url password template", "postgres://app:{{ .Values.password }}@db:5432/orders", ""},
		{"url password masked", "postgres://app:********@db:5432/orders", ""},
		{"connection string placeholder", "Server=db;User ID=app;Password=<password>;", ""},
		{"account key variable", "AccountName=shop;AccountKey=${STORAGE_KEY};", ""},
		{"public key", "-----BEGIN PUBLIC KEY-----\nMIIBIjANplanted\n-----END PUBLIC KEY-----", ""},
		{"certificate", "-----BEGIN CERTIFICATE-----\nMIIDplanted\n-----END CERTIFICATE-----", ""},
		{"stripe test key", "sk_test_Pl4nt3dStr1p3K3yV4lu3xyz", ""},
		{"image reference", "myacr.azurecr.io/shop/app:1.4.2@sha256:0123456789abcdef", ""},
		{"nginx config", "server {\n  listen 80;\n  location / { proxy_pass http://backend:8080; }\n}", ""},
	} {
		if got := Detect(c.value); got != c.want {
			t.Errorf("%s: Detect = %q, want %q", c.name, got, c.want)
		}
	}
}

// detectUnfiltered is Detect without the literal prefilter: every pattern's
// regular expression on every value. The prefilter must never change an
// answer.
func detectUnfiltered(value string) string {
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

func FuzzDetectPrefilter(f *testing.F) {
	for _, s := range []string{
		"-----BEGIN RSA PRIVATE KEY-----\nMIIE", "AKIAPLANTED0EXAMPLE1", "ghp_Pl4nt3dT0k3nV4lu3F0rT3st1ngOnly01234",
		"github_pat_11PLANTED0000000000000_abcdefghijklmnopq", "glpat-Pl4nt3dT0k3nV4lu3xyz", "xoxb-123456789012-1234567890123",
		"https://hooks.slack.com/services/T0PLANTED/B0PLANTED/Pl4nt3d", "sk_live_Pl4nt3dStr1p3K3yV4lu3xyz",
		"AIzaSyPl4nt3dG00gl3K3yV4lu3F0rT3st1ng01", "npm_Pl4nt3dNpmT0k3nV4lu3F0rT3st1ng012345",
		"AccountName=shop;ACCOUNTKEY=UGxhbnRlZEtleQ0123456789abcdef==;", "Server=db;User ID=app;pWd=Pl4nt3d-pw;",
		"Server=db;Password=Pl4nt3d\u212a;", "AccountName=shop;Account\u212aey=UGxhbnRlZEtleQ0123456789abcdef==;",
		"sv=2022-11-02&ss=b&sig=UGxhbnRlZFNhc1NpZ25hdHVyZQ%3D%3D", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.UGxhbnRlZFNpZ25hdHVyZQ",
		"postgres://app:Pl4nt3d-pw@db.shop.svc:5432/orders", "  UGxhbnRlZFN0b3JhZ2VBY2NvdW50S2V5Rm9yVGVzdGluZ09ubHlOb3RSZWFsUGxhbnRlZEtleTAxMjM0NTY3OA==\n",
		"the quick brown fox jumps over the lazy dog",
		// the prefilters of the two most frequent candidates: a URL and an
		// e-mail address apart, "://" without a scheme, a password with a
		// colon, a password key inside a word or after white space.
		"see https://example.com/x and mail ops@example.com", "://app:Pl4nt3d@db", "redis://:Pl4nt3d:pw@cache:6379",
		"ftp://user:pa ss@host", "mypassword=Pl4nt3d-pw;", " \t pwd = Pl4nt3d-pw", "a=b;\n Password\t=Pl4nt3d;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if got, want := Detect(v), detectUnfiltered(v); got != want {
			t.Fatalf("Detect(%q) = %q, without the prefilter %q", v, got, want)
		}
	})
}

func TestDetectPrefilterKelvin(t *testing.T) {
	// (?i) folds the Kelvin sign onto k: the prefilter must not hide it.
	v := "AccountName=shop;Account\u212aey=UGxhbnRlZEtleQ0123456789abcdef==;"
	if got, want := Detect(v), detectUnfiltered(v); got != want || got == "" {
		t.Fatalf("Detect = %q, unfiltered %q", got, want)
	}
}

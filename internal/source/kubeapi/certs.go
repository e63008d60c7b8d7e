package kubeapi

import (
	"context"
	"crypto/tls"
	"net"
	"net/url"

	"k8s.io/client-go/rest"

	"github.com/aksguard/aksguard/internal/inventory"
	"github.com/aksguard/aksguard/internal/source/manifest"
)

// handshake reads the certificate chain the API server presents, with the
// client's own TLS settings (so a server the client would not trust is not
// trusted here either). A failure is recorded in api.CertError; the scan
// goes on.
func handshake(ctx context.Context, cfg *rest.Config, api *inventory.APIServer) []inventory.CertInfo {
	u, err := url.Parse(cfg.Host)
	if err != nil || u.Scheme != "https" {
		if err == nil {
			api.CertError = "the API server is not reached over https (" + cfg.Host + ")"
		} else {
			api.CertError = "bad server URL: " + err.Error()
		}
		return nil
	}
	tc, err := rest.TLSConfigFor(cfg)
	if err != nil || tc == nil {
		if tc == nil {
			tc = &tls.Config{}
		} else {
			api.CertError = "TLS configuration: " + err.Error()
			return nil
		}
	}
	tc = tc.Clone()
	tc.GetClientCertificate = nil // the handshake needs no client identity
	tc.Certificates = nil
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	if tc.ServerName == "" {
		tc.ServerName = u.Hostname()
	}
	d := tls.Dialer{Config: tc}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		api.CertError = "TLS handshake with " + host + ": " + err.Error()
		return nil
	}
	defer conn.Close()
	var out []inventory.CertInfo
	for i, c := range conn.(*tls.Conn).ConnectionState().PeerCertificates {
		role := "API server certificate (TLS handshake)"
		if i > 0 {
			role = "CA certificate (TLS handshake)"
		}
		out = append(out, manifest.CertInfo(c, role))
	}
	return out
}

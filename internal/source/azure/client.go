// Package azure reads AKS managed clusters and their companion data live
// from Azure Resource Manager. Every request goes through one azcore
// pipeline (bearer token, retries that honour 429 Retry-After), the bodies
// are kept raw and decoded by the same decoders as files
// (the input-detector table of internal/source/detect, through
// Options.Decode), and what was read is handed to source.Load as
// inventory batches, so live data and files join and evaluate the same way.
//
// Nothing here logs or prints a token or an Authorization header; errors
// name the URL path (never the query or headers) and what to do.
package azure

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/aksguard/aksguard/internal/source/azure/armbody"
)

// API versions of the bodies read. See docs/inputs.md ("Live scanning:
// Azure") for why these.
const (
	// APIContainerService is used for managed clusters, agent pools,
	// upgrade profiles, maintenance configurations and supported versions:
	// the version az CLI 2.85 calls, so a live scan sees the fields
	// `az aks show` prints.
	APIContainerService = "2026-07-01"
	// APIDiagnosticSettings is the newest version of diagnostic settings
	// (still what armmonitor uses).
	APIDiagnosticSettings = "2021-05-01-preview"
	// APIPricings reads Defender plan pricings.
	APIPricings = "2024-01-01"
	// APIRegistries reads Azure Container Registries.
	APIRegistries = "2023-07-01"
	// APIResourceGraph queries Azure Resource Graph (fleet discovery).
	APIResourceGraph = "2024-04-01"
)

const moduleName, moduleVersion = "aksguard", "v1.0.0"

// Client reads ARM through one pipeline.
type Client struct {
	pl       runtime.Pipeline
	endpoint *url.URL
}

// NewClient builds the client from a credential and client options (nil:
// public cloud, default retries). Automatic resource-provider registration
// is disabled: aksguard only reads.
func NewClient(cred azcore.TokenCredential, opts *arm.ClientOptions) (*Client, error) {
	o := arm.ClientOptions{}
	if opts != nil {
		o = *opts
	}
	o.DisableRPRegistration = true
	c, err := arm.NewClient(moduleName, moduleVersion, cred, &o)
	if err != nil {
		return nil, fmt.Errorf("setting up the Azure Resource Manager client: %w", err)
	}
	u, err := url.Parse(c.Endpoint())
	if err != nil {
		return nil, fmt.Errorf("the Azure Resource Manager endpoint %q is not a URL: %w", c.Endpoint(), err)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return &Client{pl: c.Pipeline(), endpoint: u}, nil
}

// NewDefaultClient authenticates with azidentity's DefaultAzureCredential
// (environment, workload identity, managed identity, az login, azd login).
func NewDefaultClient() (*Client, error) {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("no Azure credential: %w (run az login, or set AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret, certificate or workload identity)", err)
	}
	return NewClient(cred, nil)
}

// get reads one ARM resource or list page at path (an ARM path such as
// /subscriptions/S/..., or an absolute nextLink on the ARM host).
func (c *Client) get(ctx context.Context, path, apiVersion string) ([]byte, error) {
	return c.do(ctx, http.MethodGet, path, apiVersion, nil)
}

func (c *Client) do(ctx context.Context, method, path, apiVersion string, body any) ([]byte, error) {
	u, err := c.url(path, apiVersion)
	if err != nil {
		return nil, err
	}
	req, err := runtime.NewRequest(ctx, method, u.String())
	if err != nil {
		return nil, &Error{Path: u.Path, Err: err}
	}
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		if err := req.SetBody(streaming.NopCloser(bytes.NewReader(data)), "application/json"); err != nil {
			return nil, &Error{Path: u.Path, Err: err}
		}
	}
	req.Raw().Header.Set("Accept", "application/json")
	// The body is read here, capped, instead of whole by the pipeline.
	runtime.SkipBodyDownload(req)
	resp, err := c.pl.Do(req)
	if err != nil {
		return nil, &Error{Path: u.Path, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, &Error{Path: u.Path, Err: err}
	}
	if len(data) > maxBody {
		return nil, &Error{Path: u.Path, Err: fmt.Errorf("the answer is larger than %d MiB: not read", maxBody>>20)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, newStatusError(u.Path, resp.StatusCode, data)
	}
	return data, nil
}

// url resolves path against the endpoint. Absolute URLs (nextLink) must
// point at the ARM host itself: the token is never sent anywhere else.
func (c *Client) url(path, apiVersion string) (*url.URL, error) {
	var u *url.URL
	if strings.HasPrefix(path, "https://") || strings.HasPrefix(path, "http://") {
		var err error
		u, err = url.Parse(path)
		if err != nil {
			return nil, &Error{Path: "nextLink", Err: fmt.Errorf("not a URL: %w", err)}
		}
		if !strings.EqualFold(u.Host, c.endpoint.Host) || u.Scheme != c.endpoint.Scheme {
			return nil, &Error{Path: u.Path, Err: fmt.Errorf("nextLink points at %s, not at Azure Resource Manager (%s): not followed", u.Host, c.endpoint.Host)}
		}
		return u, nil
	}
	u = c.endpoint.JoinPath(path)
	q := u.Query()
	q.Set("api-version", apiVersion)
	u.RawQuery = q.Encode()
	return u, nil
}

// list reads every page of an ARM list, following nextLink, and returns
// the pages' bodies.
func (c *Client) list(ctx context.Context, path, apiVersion string) ([][]byte, error) {
	var pages [][]byte
	next := path
	for page := 0; next != ""; page++ {
		if page >= maxPages {
			return pages, &Error{Path: path, Err: fmt.Errorf("more than %d pages: stopped", maxPages)}
		}
		data, err := c.get(ctx, next, apiVersion)
		if err != nil {
			return pages, err
		}
		pages = append(pages, data)
		next = armbody.NextLink(data)
	}
	return pages, nil
}

// maxBody caps one ARM answer. A cluster body is tens of KB and a list page
// of a thousand resources a few MB; an answer past the cap is refused, so a
// broken or hostile endpoint cannot exhaust memory.
const maxBody = 32 << 20

// maxPages bounds a listing, so a server that loops nextLink cannot hang a scan.
const maxPages = 1000

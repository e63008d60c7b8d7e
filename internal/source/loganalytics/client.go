package loganalytics

import (
	"fmt"
	"io"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/aksguard/aksguard/internal/source/inputcap"
)

// MaxAnswerBytes caps one answer of the query API. The API itself answers
// at most about 64 MB; a longer body (a broken or hostile endpoint) is cut
// there and its range recorded as not read.
const MaxAnswerBytes = 96 << 20

// NewClient builds a client on the SDK's logs query client with the
// credential and options given (nil options: the public cloud's endpoint,
// the SDK's retries, which honour Retry-After on 429 and 503). Every answer
// is read through a byte cap.
func NewClient(cred azcore.TokenCredential, opts *azquery.LogsClientOptions) (*Client, error) {
	o := azquery.LogsClientOptions{}
	if opts != nil {
		o = *opts
	}
	o.PerCallPolicies = append(append([]policy.Policy(nil), o.PerCallPolicies...), capPolicy{max: MaxAnswerBytes})
	if o.Retry.MaxRetries == 0 {
		o.Retry.MaxRetries = 6
	}
	lc, err := azquery.NewLogsClient(cred, &o)
	if err != nil {
		return nil, fmt.Errorf("setting up the Log Analytics query client: %w", err)
	}
	return &Client{q: lc}, nil
}

// NewDefaultClient authenticates with DefaultAzureCredential, as the Azure
// Resource Manager reads do.
func NewDefaultClient() (*Client, error) {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("no Azure credential: %w (run az login, or set AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret, certificate or workload identity)", err)
	}
	return NewClient(cred, nil)
}

// capPolicy cuts a response body past max bytes with an error.
type capPolicy struct{ max int64 }

func (p capPolicy) Do(req *policy.Request) (*http.Response, error) {
	resp, err := req.Next()
	if err != nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	resp.Body = capBody(resp.Body, p.max)
	return resp, nil
}

// capError is an answer past MaxAnswerBytes.
type capError struct{ max int64 }

func (e *capError) Error() string {
	return fmt.Sprintf("the answer is larger than %d MiB", e.max>>20)
}

// capBody caps an answer's body at max bytes: past it, reading fails with
// a capError.
func capBody(rc io.ReadCloser, max int64) io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{inputcap.Limit(rc, max, &capError{max: max}), rc}
}

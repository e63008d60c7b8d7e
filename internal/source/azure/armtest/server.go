// Package armtest is a local HTTPS server that answers like Azure Resource
// Manager with real response bodies (testdata/README.md says where each
// comes from), for tests of the live Azure source and the CLI. It is not a
// mock of aksguard's code: the client under test goes through the real
// azcore pipeline (bearer token policy, retries) over TLS.
package armtest

import (
	"embed"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/aksguard/aksguard/internal/source/azure"
)

//go:embed testdata/*.json
var bodies embed.FS

// Subscription and ResourceGroup hold the served clusters.
const (
	Subscription  = "00000000-0000-0000-0000-000000000000"
	ResourceGroup = "rg1"
	// ClusterID is the cluster of the bodies.
	ClusterID = "/subscriptions/" + Subscription + "/resourceGroups/" + ResourceGroup + "/providers/Microsoft.ContainerService/managedClusters/clustername1"
)

// Rule overrides the answer to requests whose lower-cased path ends with
// Suffix.
type Rule struct {
	Suffix string
	Status int
	Code   string      // ARM error code of the error body
	Header http.Header // e.g. Retry-After
	Times  int         // answer this way only so many times (0: always)
	// Delay holds the answer back (a slow or hanging ARM); with Status 0
	// the normal answer follows.
	Delay time.Duration
	// Body, when set, is the answer (with Status, default 200): a
	// malformed, trimmed or oversized body the real ARM could send.
	Body []byte
}

// Server is the fake ARM.
type Server struct {
	*httptest.Server
	// Delay is added to every answer (to make concurrency observable).
	Delay time.Duration

	mu          sync.Mutex
	rules       []*Rule
	requests    []string
	arrivals    []time.Time // when each of requests arrived
	inflight    int
	maxInflight int
	authHeaders map[string]bool
}

// New starts the server; it is closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{authHeaders: map[string]bool{}}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// On adds a rule (later rules win).
func (s *Server) On(r Rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append([]*Rule{&r}, s.rules...)
}

// Requests returns "METHOD path" of every request so far.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// Count returns how many requests' lower-cased paths end with suffix.
func (s *Server) Count(suffix string) int {
	n := 0
	for _, r := range s.Requests() {
		if strings.HasSuffix(strings.ToLower(r), strings.ToLower(suffix)) {
			n++
		}
	}
	return n
}

// Arrivals returns when each request whose path ends with suffix (any
// case) arrived, in order. Tests use the gaps between them as lower bounds
// (a retry came no sooner than Retry-After said), which a busy machine can
// only lengthen.
func (s *Server) Arrivals(suffix string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Time
	for i, r := range s.requests {
		if strings.HasSuffix(strings.ToLower(r), strings.ToLower(suffix)) {
			out = append(out, s.arrivals[i])
		}
	}
	return out
}

// MaxInflight is the most requests the server was answering at once.
func (s *Server) MaxInflight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInflight
}

// AuthHeaders are the distinct Authorization headers seen.
func (s *Server) AuthHeaders() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for h := range s.authHeaders {
		out = append(out, h)
	}
	return out
}

// ClientOptions point azcore at the server, trusting its certificate.
// Retry options are azcore's defaults unless retry is given.
func (s *Server) ClientOptions(retry *policy.RetryOptions) *arm.ClientOptions {
	o := &arm.ClientOptions{ClientOptions: policy.ClientOptions{
		Cloud: cloud.Configuration{
			ActiveDirectoryAuthorityHost: s.URL,
			Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
				cloud.ResourceManager: {Endpoint: s.URL, Audience: "https://management.core.windows.net/"},
			},
		},
		Transport: s.Client(),
	}}
	if retry != nil {
		o.Retry = *retry
	}
	return o
}

// NewClient is an azure.Client on the server with azcore's fake credential.
func (s *Server) NewClient(t testing.TB, retry *policy.RetryOptions) *azure.Client {
	c, err := azure.NewClient(&fake.TokenCredential{}, s.ClientOptions(retry))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	s.arrivals = append(s.arrivals, time.Now())
	s.authHeaders[r.Header.Get("Authorization")] = true
	s.inflight++
	if s.inflight > s.maxInflight {
		s.maxInflight = s.inflight
	}
	delay := s.Delay
	var rule *Rule
	lower := strings.ToLower(r.URL.Path)
	for _, ru := range s.rules {
		if strings.HasSuffix(lower, strings.ToLower(ru.Suffix)) && ru.Times >= 0 {
			rule = ru
			if ru.Times > 0 {
				ru.Times--
				if ru.Times == 0 {
					ru.Times = -1
				}
			}
			break
		}
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inflight--
		s.mu.Unlock()
	}()
	if delay > 0 {
		time.Sleep(delay)
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		armError(w, http.StatusUnauthorized, "AuthenticationFailed", "no bearer token")
		return
	}
	if r.URL.Query().Get("api-version") == "" {
		armError(w, http.StatusBadRequest, "MissingApiVersionParameter", "api-version is required")
		return
	}
	if rule != nil && rule.Delay > 0 {
		select {
		case <-time.After(rule.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if rule != nil && rule.Body != nil {
		status := rule.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(rule.Body)
		return
	}
	if rule != nil && rule.Status != 0 {
		for k, v := range rule.Header {
			w.Header()[k] = v
		}
		armError(w, rule.Status, rule.Code, "answered by a test rule")
		return
	}
	body, status := s.route(r, lower)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func armError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-ms-failure-cause", "gateway")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func file(name string) []byte {
	data, err := bodies.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return data
}

// route answers a request from the testdata bodies.
func (s *Server) route(r *http.Request, lower string) ([]byte, int) {
	seg := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	lseg := strings.Split(strings.Trim(lower, "/"), "/")
	notFound := []byte(`{"error":{"code":"ResourceNotFound","message":"The Resource was not found."}}`)
	switch {
	case r.Method == http.MethodPost && lower == "/providers/microsoft.resourcegraph/resources":
		var req struct {
			Options struct {
				SkipToken string `json:"$skipToken"`
			} `json:"options"`
		}
		data, _ := io.ReadAll(r.Body)
		if json.Unmarshal(data, &req) != nil {
			return []byte(`{"error":{"code":"BadRequest","message":"not JSON"}}`), http.StatusBadRequest
		}
		if req.Options.SkipToken == "" {
			return file("resourcegraph-page1.json"), http.StatusOK
		}
		var p1 struct {
			SkipToken string `json:"$skipToken"`
		}
		_ = json.Unmarshal(file("resourcegraph-page1.json"), &p1)
		if req.Options.SkipToken != p1.SkipToken {
			return []byte(`{"error":{"code":"BadRequest","message":"unknown skip token"}}`), http.StatusBadRequest
		}
		return file("resourcegraph-page2.json"), http.StatusOK
	case r.Method != http.MethodGet:
		return []byte(`{"error":{"code":"MethodNotAllowed","message":"read only"}}`), http.StatusMethodNotAllowed
	case strings.HasSuffix(lower, "/kubernetesversions"):
		return file("kubernetesversions.json"), http.StatusOK
	case strings.HasSuffix(lower, "/providers/microsoft.security/pricings/containers"):
		return file("pricing-containers.json"), http.StatusOK
	case strings.HasSuffix(lower, "/providers/microsoft.containerregistry/registries"):
		return file("registries.json"), http.StatusOK
	}
	// Below a managed cluster: /subscriptions/S/resourceGroups/RG/providers/Microsoft.ContainerService/managedClusters/NAME/...
	if len(lseg) < 8 || lseg[6] != "managedclusters" {
		return notFound, http.StatusNotFound
	}
	name := seg[7]
	sub := func(b []byte) []byte { return []byte(strings.ReplaceAll(string(b), "clustername1", name)) }
	rest := strings.Join(lseg[8:], "/")
	switch {
	case rest == "":
		return sub(file("managedcluster.json")), http.StatusOK
	case rest == "agentpools":
		if r.URL.Query().Get("$skipToken") == "2" {
			return sub(file("agentpools-page2.json")), http.StatusOK
		}
		var page map[string]any
		_ = json.Unmarshal(sub(file("agentpools-page1.json")), &page)
		page["nextLink"] = s.URL + r.URL.Path + "?api-version=" + r.URL.Query().Get("api-version") + "&$skipToken=2"
		data, _ := json.MarshalIndent(page, "", "  ")
		return data, http.StatusOK
	case rest == "upgradeprofiles/default":
		return sub(file("upgradeprofile.json")), http.StatusOK
	case len(lseg) == 12 && lseg[8] == "agentpools" && lseg[10] == "upgradeprofiles":
		return []byte(strings.ReplaceAll(string(sub(file("pool-upgradeprofile.json"))), "agentpool1", seg[9])), http.StatusOK
	case rest == "providers/microsoft.insights/diagnosticsettings":
		return sub(file("diagnosticsettings.json")), http.StatusOK
	case rest == "maintenanceconfigurations":
		return sub(file("maintenanceconfigurations.json")), http.StatusOK
	}
	return notFound, http.StatusNotFound
}

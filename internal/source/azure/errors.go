package azure

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/aksguard/aksguard/internal/source/azure/armbody"
)

// Error is a failed ARM request. It names the URL path (never the query,
// headers or token), the HTTP status and ARM's error code.
type Error struct {
	Path    string
	Status  int    // 0 when no response arrived
	Code    string // ARM error code (AuthorizationFailed, ResourceNotFound, ...)
	Message string // ARM's message
	Err     error  // transport or authentication error when Status is 0
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("%s: %v", e.Path, e.Err)
	}
	s := fmt.Sprintf("%s: HTTP %d", e.Path, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Forbidden reports whether the identity lacks a permission.
func (e *Error) Forbidden() bool { return e.Status == http.StatusForbidden }

// NotFound reports whether the resource does not exist (or is not visible).
func (e *Error) NotFound() bool { return e.Status == http.StatusNotFound }

func newStatusError(path string, status int, body []byte) *Error {
	e := &Error{Path: path, Status: status}
	e.Code, e.Message = armbody.ErrorBody(body)
	return e
}

// authHint turns a credential failure into what to do.
func authHint(err error) string {
	var af *azidentity.AuthenticationFailedError
	var ar *azidentity.AuthenticationRequiredError
	switch {
	case errors.As(err, &af), errors.As(err, &ar), strings.Contains(err.Error(), "Credential"):
		return "run az login, or set AZURE_CLIENT_ID and AZURE_TENANT_ID with a secret, certificate or workload identity, or run with a managed identity"
	}
	return ""
}

// ReadError is a cluster that could not be read.
type ReadError struct {
	ID     string
	Reason string // what went wrong and what to do, without the ID
}

func (e *ReadError) Error() string { return "reading managed cluster " + e.ID + ": " + e.Reason }

// describe explains a failed read of what (e.g. "the agent pools of ID")
// that needs permission, and says what to do.
func describe(what, permission string, err error) string {
	return "reading " + what + ": " + reason(permission, err)
}

// reason says why a read needing permission failed and what to do.
func reason(permission string, err error) string {
	var ae *Error
	if !errors.As(err, &ae) {
		return err.Error()
	}
	switch {
	case ae.Forbidden():
		return fmt.Sprintf("forbidden (HTTP 403 %s): the identity lacks %s; grant it a role that includes it (e.g. Reader)", ae.Code, permission)
	case ae.Status == http.StatusUnauthorized:
		return fmt.Sprintf("HTTP 401 %s at %s: the token was rejected; sign in again (az login) or check the tenant", ae.Code, ae.Path)
	case ae.Status == 0:
		if h := authHint(ae.Err); h != "" {
			return fmt.Sprintf("could not authenticate to Azure: %s. Details: %v", h, ae.Err)
		}
		if errors.Is(ae.Err, context.DeadlineExceeded) {
			return fmt.Sprintf("%v (timed out; try again, or scan fewer clusters at once with a lower --parallel)", ae)
		}
		return fmt.Sprintf("%v (check the network and proxy settings and try again)", ae)
	case ae.Status == http.StatusTooManyRequests || ae.Status >= 500:
		return fmt.Sprintf("%v (Azure kept failing after retries; try again later)", ae)
	}
	return ae.Error()
}

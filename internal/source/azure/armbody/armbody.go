// Package armbody reads the parts of ARM response bodies that the live
// Azure reader interprets itself, before a body is decoded like a file:
// the error envelope, the nextLink of a list page, and whether a listing is
// empty. It imports nothing but the standard library and jsontree, so its
// fuzz target instruments in seconds (the azure package pulls in the whole
// source layer).
package armbody

import (
	"encoding/json"
	"strings"

	"github.com/aksguard/aksguard/internal/jsontree"
)

// ErrorBody returns the code and message of an ARM error body
// ({"error": {"code": ..., "message": ...}}), each on one line and the
// message clipped; "" for what a body does not say.
func ErrorBody(body []byte) (code, message string) {
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &env) != nil {
		return "", ""
	}
	return OneLine(env.Error.Code), OneLine(env.Error.Message)
}

// OneLine joins the white space of s into single spaces and clips it to
// 300 bytes (at a rune boundary).
func OneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		cut := 300
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// NextLink returns the nextLink of a list page, "" when there is none or
// the page is not a JSON object.
func NextLink(body []byte) string {
	// encoding/json reads the one field without building a tree of a page
	// that may be megabytes.
	var env struct {
		NextLink string `json:"nextLink"`
	}
	if json.Unmarshal(body, &env) != nil {
		return ""
	}
	return env.NextLink
}

// EmptyList reports whether every page is an ARM list with no items. A
// page with conflicting duplicate keys is not empty: decoding it reports
// them.
func EmptyList(pages [][]byte) bool {
	for _, data := range pages {
		// The cheap test first: a page with items is not empty to any
		// reader.
		var env struct {
			Value *[]json.RawMessage `json:"value"`
		}
		if json.Unmarshal(data, &env) != nil || env.Value == nil || len(*env.Value) > 0 {
			return false
		}
		root, err := jsontree.Parse(data)
		if err != nil || root.Kind != jsontree.Object || len(jsontree.Conflicts(root, 1)) > 0 {
			return false
		}
		if v := root.Get("value"); v == nil || v.Kind != jsontree.Array || len(v.Items) > 0 {
			return false
		}
	}
	return true
}

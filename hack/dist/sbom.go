package main

import (
	"debug/buildinfo"
	"encoding/json"
	"os"
	"runtime/debug"
	"strings"
	"time"
)

// A CycloneDX 1.5 software bill of materials of one Go binary, from the
// build information the go command wrote into it (debug/buildinfo: the
// same as `go version -m BINARY`): the main module, every module linked
// in (replacements resolved) and the Go standard library, each with its
// package URL, so that vulnerability scanners can match them.
type bom struct {
	BOMFormat   string      `json:"bomFormat"`
	SpecVersion string      `json:"specVersion"`
	Version     int         `json:"version"`
	Metadata    bomMetadata `json:"metadata"`
	Components  []component `json:"components"`
}

type bomMetadata struct {
	Timestamp string    `json:"timestamp"`
	Tools     bomTools  `json:"tools"`
	Component component `json:"component"`
}

type bomTools struct {
	Components []component `json:"components"`
}

type component struct {
	Type       string     `json:"type"`
	BOMRef     string     `json:"bom-ref,omitempty"`
	Name       string     `json:"name"`
	Version    string     `json:"version,omitempty"`
	PURL       string     `json:"purl,omitempty"`
	Properties []property `json:"properties,omitempty"`
}

type property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func purl(path, version string) string {
	return "pkg:golang/" + path + "@" + version
}

func moduleComponent(typ string, m *debug.Module) component {
	if m.Replace != nil {
		m = m.Replace
	}
	c := component{Type: typ, Name: m.Path, Version: m.Version}
	if m.Version != "" && m.Version != "(devel)" {
		c.PURL = purl(m.Path, m.Version)
		c.BOMRef = c.PURL
	}
	if m.Sum != "" {
		c.Properties = append(c.Properties, property{Name: "go:module:sum", Value: m.Sum})
	}
	return c
}

// buildSBOM describes the binary whose build information bi is.
// version, when set, is the release's version (the -X one), which the
// build information lacks when the build was not of a tagged module.
func buildSBOM(bi *buildinfo.BuildInfo, version string, when time.Time) bom {
	main := moduleComponent("application", &bi.Main)
	if version != "" {
		main.Version = version
		main.PURL = purl(main.Name, version)
		main.BOMRef = main.PURL
	}
	for _, s := range bi.Settings {
		// Only these settings: -ldflags and the CGO_* flags may carry text a
		// build was given, which an SBOM has no need to publish.
		switch s.Key {
		case "GOOS", "GOARCH", "CGO_ENABLED", "-trimpath", "vcs.revision", "vcs.time", "vcs.modified":
			main.Properties = append(main.Properties, property{Name: "go:build:" + s.Key, Value: s.Value})
		}
	}
	main.Properties = append(main.Properties, property{Name: "go:package", Value: bi.Path})
	goVersion := strings.TrimPrefix(bi.GoVersion, "go")
	comps := []component{{Type: "library", Name: "stdlib", Version: goVersion,
		PURL: purl("stdlib", goVersion), BOMRef: purl("stdlib", goVersion)}}
	for _, d := range bi.Deps {
		comps = append(comps, moduleComponent("library", d))
	}
	return bom{BOMFormat: "CycloneDX", SpecVersion: "1.5", Version: 1,
		Metadata: bomMetadata{Timestamp: when.Format(time.RFC3339),
			Tools:     bomTools{Components: []component{{Type: "application", Name: "aksguard hack/dist sbom"}}},
			Component: main},
		Components: comps}
}

func writeSBOM(out, binary, version string, when time.Time) error {
	bi, err := buildinfo.ReadFile(binary)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(buildSBOM(bi, version, when), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

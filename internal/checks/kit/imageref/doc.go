// Package imageref parses container image references (registry,
// repository, tag, digest) for the image controls and for the live scan's
// choice of registries to read.
package imageref

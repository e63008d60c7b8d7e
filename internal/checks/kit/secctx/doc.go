// Package secctx turns a workload's pod template into the containers the
// workload controls judge, each with its effective security settings (what
// the kubelet applies; effective.go), and runs per-container controls with
// one result per workload (percontainer.go).
package secctx

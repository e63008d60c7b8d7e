// Package armexpr evaluates ARM template expressions
// ("[concat(parameters('name'), '-dns')]").
//
// aksguard evaluates the subset of the template language that exports and
// hand-written templates use for the settings it reads: parameters,
// variables, string building, logic, resource IDs, and object/array
// construction and access. Anything that depends on the deployment (the
// resource group, the subscription, reference(), list*(), uniqueString(),
// copyIndex(), ...) is unresolved: the field that depends on it becomes
// Unknown with a reason naming the expression, never a default.
//
// Resource names are evaluated in a second mode in which those
// deployment-time values become placeholders spelling the expression
// ("{resourceGroup().location}", "{parameters('clusterName')}"), so the
// same expression always yields the same text and child resources still
// join to their cluster.
//
// The parser is parse.go, the evaluator eval.go, and the template
// functions a table (builtins.go) whose entries live in one file per
// family: string.go, array.go, object.go, logical.go, comparison.go,
// numeric.go, resource.go, deployment.go. Every evaluation is charged to
// the budgets of limits.go.
package armexpr

#!/usr/bin/env python3
"""Writes internal/checks/testdata/forms/bicep/<variant>/main.bicep from the
template form (internal/checks/testdata/forms/template/<variant>/): the same
parameters, variables and resources written the way Bicep writes them —
expressions as Bicep expressions (parameters('x') is x, createObject a
literal object, if() a ternary), nested child resources as nested Bicep
resources, a diagnostic setting's scope as the cluster's symbol — and the
companion files that are not templates copied as they are. The verdict
matrix (internal/checks/forms_test.go) then proves that every control
passes and fails in Bicep as it does in the compiled template.

Run from the repository root: python3 hack/gen-bicep-form.py
"""
import json
import os
import re
import shutil

SRC = "internal/checks/testdata/forms/template"
DST = "internal/checks/testdata/forms/bicep"
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Expr:
    """A tiny parser of ARM template expressions, printing Bicep."""

    def __init__(self, s):
        self.s, self.i = s, 0

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] == " ":
            self.i += 1

    def parse(self):
        self.ws()
        c = self.s[self.i]
        if c == "'":
            j = self.i + 1
            out = ""
            while True:
                k = self.s.index("'", j)
                out += self.s[j:k]
                if k + 1 < len(self.s) and self.s[k + 1] == "'":
                    out += "'"
                    j = k + 2
                    continue
                self.i = k + 1
                break
            v = bicep_str(out)
        elif c.isdigit() or c == "-":
            m = re.match(r"-?\d+", self.s[self.i:])
            self.i += len(m.group(0))
            v = m.group(0)
        else:
            m = re.match(r"[A-Za-z_][A-Za-z0-9_.]*", self.s[self.i:])
            name = m.group(0)
            self.i += len(name)
            self.ws()
            assert self.s[self.i] == "(", self.s
            self.i += 1
            args = []
            self.ws()
            while self.s[self.i] != ")":
                args.append(self.parse())
                self.ws()
                if self.s[self.i] == ",":
                    self.i += 1
            self.i += 1
            v = call(name, args)
        while self.i < len(self.s) and self.s[self.i] in ".[":
            if self.s[self.i] == ".":
                m = re.match(r"\.([A-Za-z_][A-Za-z0-9_]*)", self.s[self.i:])
                self.i += len(m.group(0))
                v += "." + m.group(1)
            else:
                self.i += 1
                idx = self.parse()
                self.ws()
                self.i += 1
                v += "[" + idx + "]"
        return v


def call(name, args):
    n = name.lower()
    if n in ("parameters", "variables"):
        return args[0][1:-1]
    if n in ("true", "false", "null"):
        return n
    if n == "createarray":
        return "[" + ", ".join(args) + "]"
    if n == "createobject":
        return "{ " + ", ".join("%s: %s" % (key(a[1:-1]), b) for a, b in zip(args[0::2], args[1::2])) + " }"
    if n == "if":
        return "(%s ? %s : %s)" % tuple(args)
    if n == "equals":
        return "(%s == %s)" % tuple(args)
    return name + "(" + ", ".join(args) + ")"


def bicep_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("${", "\\${") + "'"


def key(k):
    if k.startswith("[") and k.endswith("]") and not k.startswith("[["):
        return "'${" + Expr(k[1:-1]).parse() + "}'"
    return k if IDENT.match(k) else bicep_str(k)


def value(v, ind):
    pad = "  " * ind
    if isinstance(v, dict):
        if not v:
            return "{}"
        out = ["{"]
        for k, x in v.items():
            out.append("%s  %s: %s" % (pad, key(k), value(x, ind + 1)))
        out.append(pad + "}")
        return "\n".join(out)
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[\n" + "\n".join(pad + "  " + value(x, ind + 1) for x in v) + "\n" + pad + "]"
    if isinstance(v, str):
        if v.startswith("[") and v.endswith("]") and not v.startswith("[["):
            return Expr(v[1:-1]).parse()
        return bicep_str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return json.dumps(v)


def ptype(t):
    return {"string": "string", "securestring": "string", "int": "int", "bool": "bool", "object": "object",
            "secureobject": "object", "array": "array"}[t.lower()]


def symbol(r, used):
    base = r["type"].split("/")[-1]
    base = re.sub(r"[^A-Za-z0-9]", "", base)
    n, i = base, 1
    while n in used:
        i += 1
        n = base + str(i)
    used.add(n)
    return n


def resource(r, ind, used, cluster_sym, out):
    pad = "  " * ind
    sym = symbol(r, used)
    if r["type"] == "Microsoft.ContainerService/managedClusters" and not cluster_sym:
        cluster_sym.append(sym)
    out.append("%sresource %s '%s@%s' = {" % (pad, sym, r["type"], r["apiVersion"]))
    for k, v in r.items():
        if k in ("type", "apiVersion", "dependsOn", "resources"):
            continue
        if k == "scope":
            out.append("%s  scope: %s" % (pad, cluster_sym[0]))
            continue
        out.append("%s  %s: %s" % (pad, key(k), value(v, ind + 1)))
    for child in r.get("resources", []):
        out.append("")
        resource(child, ind + 1, used, cluster_sym, out)
    out.append(pad + "}")


def convert(t):
    out = ["// Generated by hack/gen-bicep-form.py from the template form; do not edit.", ""]
    for name, p in t.get("parameters", {}).items():
        line = "param %s %s" % (name, ptype(p["type"]))
        if p["type"].lower().startswith("secure"):
            line = "@secure()\n" + line
        if "defaultValue" in p:
            line += " = " + value(p["defaultValue"], 0)
        out.append(line)
    out.append("")
    for name, v in t.get("variables", {}).items():
        out.append("var %s = %s" % (name, value(v, 0)))
    used, cluster_sym = set(), []
    # Clusters first, so that scopes name them.
    res = sorted(t["resources"], key=lambda r: r["type"] != "Microsoft.ContainerService/managedClusters")
    for r in res:
        out.append("")
        resource(r, 0, used, cluster_sym, out)
    return "\n".join(out) + "\n"


def main():
    if os.path.isdir(DST):
        shutil.rmtree(DST)
    for variant in sorted(os.listdir(SRC)):
        os.makedirs(os.path.join(DST, variant))
        for f in sorted(os.listdir(os.path.join(SRC, variant))):
            src = os.path.join(SRC, variant, f)
            with open(src) as fh:
                doc = json.load(fh)
            if isinstance(doc, dict) and "resources" in doc:
                with open(os.path.join(DST, variant, "main.bicep"), "w") as fh:
                    fh.write(convert(doc))
            else:
                shutil.copy(src, os.path.join(DST, variant, f))


if __name__ == "__main__":
    main()

"""Vendors trimmed botocore service models into spec/SERVICE/VERSION/service-2.json.

Usage: python3 tools/vendor-botocore-models.py SERVICE/VERSION[:Operation,Operation,...] ...
Without operations the model is taken whole; with them, only those operations and every shape they reach (input, output,
errors). Documentation strings are dropped; everything else is kept as botocore has it. Source: the botocore that this
python3 imports (pip's, on our machines). Shared by tools/vendor-family-specs.sh and tools/vendor-provision-specs.sh.
"""
import gzip
import json
import os
import sys

import botocore

DATA = os.path.join(os.path.dirname(botocore.__file__), "data")


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("documentation", "documentationUrl", "examples")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def reachable(model, names):
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = model["shapes"][name]
        for ref in list(shape.get("members", {}).values()) + [shape.get(k) for k in ("member", "key", "value")]:
            if ref:
                todo.append(ref["shape"])
    return seen


def vendor(service, version, operations):
    model = json.load(gzip.open(os.path.join(DATA, service, version, "service-2.json.gz")))
    if operations is not None:
        missing = [name for name in operations if name not in model["operations"]]
        if missing:
            sys.exit(f"{service} {version} has no operation {', '.join(missing)}")
        model["operations"] = {name: model["operations"][name] for name in operations}
    roots = []
    for op in model["operations"].values():
        roots += [op[k]["shape"] for k in ("input", "output") if k in op] + [e["shape"] for e in op.get("errors", [])]
    keep = reachable(model, roots)
    model["shapes"] = {name: shape for name, shape in model["shapes"].items() if name in keep}
    model = strip(model)
    out = os.path.join("spec", service, version)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "service-2.json"), "w") as f:
        json.dump(model, f, indent=2)
        f.write("\n")
    print(f"{out}/service-2.json: {len(model['operations'])} operations, {len(model['shapes'])} shapes")


for arg in sys.argv[1:]:
    name, _, ops = arg.partition(":")
    service, version = name.split("/")
    vendor(service, version, ops.split(",") if ops else None)

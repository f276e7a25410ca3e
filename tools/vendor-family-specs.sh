#!/usr/bin/env bash
# Vendors the service models of the Amplify family that Ampstack answers beside AmplifyBackend (see spec/README.md):
# Amplify Hosting whole, and of S3, CloudFormation and STS only the operations served, with every shape they reach.
# Source: pip's botocore (the pyenv python3). Documentation strings are dropped; everything else is kept as botocore has it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import gzip, json, os
import botocore

data = os.path.join(os.path.dirname(botocore.__file__), "data")
services = {
    ("amplify", "2017-07-25"): None,  # whole: every operation routes; those not served answer BadRequestException
    ("s3", "2006-03-01"): ["GetObject", "HeadObject", "ListObjectsV2", "ListObjects", "HeadBucket", "GetBucketLocation",
                           "ListBuckets"],
    ("cloudformation", "2010-05-15"): ["DescribeStacks", "ListStacks", "ListStackResources", "DescribeStackResources",
                                       "DescribeStackResource", "GetTemplate"],
    ("sts", "2011-06-15"): ["GetCallerIdentity"],
}


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


for (service, version), operations in services.items():
    model = json.load(gzip.open(os.path.join(data, service, version, "service-2.json.gz")))
    if operations is not None:
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
PY

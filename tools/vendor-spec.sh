#!/usr/bin/env bash
# Re-vendors spec/amplifybackend/2020-08-11 from Debian's python3-botocore plus the one member the current model adds.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=/usr/lib/python3/dist-packages/botocore/data/amplifybackend/2020-08-11
out=spec/amplifybackend/2020-08-11
python3 - "$deb" "$out" <<'PY'
import gzip, json, os, sys
import botocore
deb_dir, out_dir = sys.argv[1], sys.argv[2]
model = json.load(open(os.path.join(deb_dir, "service-2.json")))
cur_path = os.path.join(os.path.dirname(botocore.__file__), "data/amplifybackend/2020-08-11/service-2.json.gz")
current = json.load(gzip.open(cur_path))
member = current["shapes"]["GetBackendAPIModelsResponse"]["members"]["ModelIntrospectionSchema"]
model["shapes"]["GetBackendAPIModelsResponse"]["members"]["ModelIntrospectionSchema"] = member
json.dump(model, open(os.path.join(out_dir, "service-2.json"), "w"), indent=2)
PY
cp "$deb/paginators-1.json" "$out/"
sha256sum "$out"/*

#!/usr/bin/env bash
# Regenerates every service's typed operation surface (shapes, interface, handler table, error exceptions, JSON metadata)
# and the documents the domain keeps (resource configurations: records, enum values, JSON metadata) from the vendored
# models; the list is tools/codegen/Ampstack.Codegen/GeneratedServices.cs. Run it after changing spec/: the test
# Generated_surface_matches_the_model fails until you do.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet run --project "$repo/tools/codegen/Ampstack.Codegen" -c Release -- "$repo"

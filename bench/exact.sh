#!/usr/bin/env bash
# Exact placement benchmark: the eleven MiniMalloc ASPLOS 2024 instances (bench/data/minimalloc)
# at capacity 1,048,576; solved or not, peak, median wall and CPU time of 3 runs.
# Arguments: [time limit in seconds, default 10] [runs, default 3].
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/ShmTools.Bench -c Release --nologo -v q >/dev/null
dotnet bench/ShmTools.Bench/bin/Release/net10.0/ShmTools.Bench.dll exact bench/data/minimalloc/asplos2024 "${1:-10}" "${2:-3}"

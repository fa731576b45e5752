#!/usr/bin/env bash
# GPU smoke test: trains a few steps of the demo model on the tensorflow backend and prints
# the device TensorFlow used. Exits non-zero when the tensorflow backend cannot start.
# Run it inside Dockerfile.gpu's image (`docker run --rm --gpus all tabsynth-gpu`) or on any
# machine where `npm install @tensorflow/tfjs-node-gpu@4.22.0` succeeded.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null \
  || echo "nvidia-smi not found: no NVIDIA driver visible in this container"

# Two epochs on the demo table; --backend tensorflow fails (exit 2) if tfjs-node-gpu is missing.
node bin/tabsynth.js train --config configs/demo.yaml --epochs 2 --backend tensorflow \
  --out "$out/run" --log-format json 2> "$out/log.jsonl" || { cat "$out/log.jsonl"; exit 1; }

device=$(grep -o '"device":"[^"]*"' "$out/log.jsonl" | head -n 1 | cut -d'"' -f4)
echo "tensorflow backend device: ${device:-unknown}"
grep '"event":"progress"' "$out/log.jsonl" | tail -n 1
node bin/tabsynth.js sample --model "$out/run" --rows 100000 --out "$out/sample.parquet" \
  --backend tensorflow
case "$device" in
  GPU*) echo "GPU smoke test passed" ;;
  *) echo "trained, but on ${device:-an unknown device}, not on the GPU"; exit 1 ;;
esac

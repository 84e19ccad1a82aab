#!/usr/bin/env bash
# Embedding throughput on ONNX Runtime (decode excluded) from what scripts/gpu/ort-prepare.sh
# put in .gpu/. See docs/GPU-CHECK.md.
#   bash scripts/gpu/ort-run.sh              on the GPU machine: the WebGPU provider on the
#                                            NVIDIA Vulkan driver, then the CPU provider
#   bash scripts/gpu/ort-run.sh swiftshader  here: WebGPU through SwiftShader, tiny batches
# Env: SIZES (comma list), BATCHES. Results: $OUT/ort-embed.txt (or .gpu/out/).
set -euo pipefail
cd "$(dirname "$0")/../.."
gpu=$PWD/.gpu
mode=${1:-device}
out=${OUT:-$gpu/out}
mkdir -p "$out"
work=$(mktemp -d /tmp/kindred-ort.XXXXXX)
trap 'rm -rf "$work"' EXIT

xz -dc "$gpu/node.xz" >"$work/node"
chmod +x "$work/node"
xz -dc "$gpu/ort/node_modules.tar.xz" | tar -C "$work" -xf -
cp "$gpu/ort/embed-ort.mjs" "$work/"
mkdir -p "$work/models/mobilenet_v2_1.0_224"
xz -dc "$gpu/ort/models/mobilenet_v2_1.0_224/mobilenet_v2_1.0_224.onnx.xz" \
  >"$work/models/mobilenet_v2_1.0_224/mobilenet_v2_1.0_224.onnx"
export KINDRED_MODELS_DIR=$work/models

case $mode in
  device)
    for f in "$gpu"/debs/*.deb; do dpkg -x "$f" /; done
    ldconfig
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    sizes=${SIZES:-64,256,512} batches=${BATCHES:-16}
    ;;
  swiftshader)
    export LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
    sizes=${SIZES:-2} batches=${BATCHES:-1}
    ;;
  *) echo "usage: ort-run.sh [device|swiftshader]" >&2; exit 2 ;;
esac

report=$out/ort-embed.txt
{
  echo "# Kindred embedding on ONNX Runtime, decode excluded (bench/embed-ort.ts, bundled)"
  echo "$(date -u +%FT%TZ), mode $mode, $(nproc) cores, GPU: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo none)"
  echo
  echo "## The app's provider order"
  (cd "$work" && timeout "${RUN_TIMEOUT:-200}" ./node embed-ort.mjs --sizes "$sizes" --batches "$batches") 2>&1
  echo
  echo "## CPU provider, for comparison"
  (cd "$work" && timeout 100 ./node embed-ort.mjs --providers cpu --sizes 64 --batches 4) 2>&1
} | tee "$report"

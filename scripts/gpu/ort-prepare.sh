#!/usr/bin/env bash
# Run HERE once: builds .gpu/ort/ (git-ignored) for the GPU check of the app's default embedder,
# ONNX Runtime, on its WebGPU provider (see docs/GPU-CHECK.md). The GPU machine has no Node.js
# and no node_modules, so this carries a bundle of bench/embed-ort.ts, onnxruntime-node's
# Linux x64 binaries, the node binary, the Vulkan loader packages and the .onnx model.
set -euo pipefail
cd "$(dirname "$0")/../.."

gpu=.gpu
ort=$gpu/ort
shared=${KINDRED_SHARED:-../shared}
model=mobilenet_v2_1.0_224
limit_mib=56 # the device takes 64 MiB in all, the tracked working tree included

rm -rf "$ort"
mkdir -p "$ort"
node scripts/gpu/bundle.mjs "$ort" bench/embed-ort.ts

# onnxruntime-node stays a package (its binding loads libonnxruntime from beside itself);
# only the Linux x64 binaries travel.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/node_modules"
cp -r node_modules/onnxruntime-common "$stage/node_modules/"
tar -C node_modules --exclude 'onnxruntime-node/bin/napi-v6/*' -cf - onnxruntime-node |
  tar -C "$stage/node_modules" -xf -
mkdir -p "$stage/node_modules/onnxruntime-node/bin/napi-v6/linux"
cp -r node_modules/onnxruntime-node/bin/napi-v6/linux/x64 \
  "$stage/node_modules/onnxruntime-node/bin/napi-v6/linux/"
tar -C "$stage" -cf - node_modules | xz -T2 -6 >"$ort/node_modules.tar.xz"

mkdir -p "$ort/models/$model"
cp "$shared/models/$model/$model.onnx" "$ort/models/$model/"
xz -T2 -6 "$ort/models/$model/$model.onnx"

node_version=$(node --version)
if [[ ! -s $gpu/node.xz || "$(cat "$gpu/node.version" 2>/dev/null)" != "$node_version" ]]; then
  xz -T2 -6 -c "$(command -v node)" >"$gpu/node.xz"
  echo "$node_version" >"$gpu/node.version"
fi
if ! ls "$gpu"/debs/libvulkan1_*.deb >/dev/null 2>&1; then
  mkdir -p "$gpu/debs"
  (cd "$gpu/debs" && apt-get download -qq libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libgles2 libopengl0)
fi

carried=("$ort" "$gpu/node.xz" "$gpu/debs")
du -sh "${carried[@]}"
total_mib=$(($(du -scb "${carried[@]}" | tail -1 | cut -f1) / 1048576))
echo "to carry: ${total_mib} MiB (limit ${limit_mib} MiB); carry .gpu/ort, .gpu/node.xz, .gpu/debs"
((total_mib <= limit_mib)) || { echo "error: too large to carry" >&2; exit 1; }

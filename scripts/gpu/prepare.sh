#!/usr/bin/env bash
# Run HERE once (repo root or anywhere): builds .gpu/ (git-ignored) for the GPU embedding check
# in docs/GPU-CHECK.md. The GPU machine has no Node.js and no node_modules, so .gpu/ carries a
# bundle of bench/embed-forward.ts, Dawn's dawn.node, the node binary, the Vulkan loader
# packages and the model weights; `bash scripts/gpu/run.sh` unpacks and runs them there.
set -euo pipefail
cd "$(dirname "$0")/../.."

gpu=.gpu
shared=${KINDRED_SHARED:-../shared}
model=mobilenet_v2_1.0_224
limit_mib=56 # the device takes 64 MiB in all, the tracked working tree included

mkdir -p "$gpu"
rm -rf "$gpu/embed-forward.mjs" "$gpu/dawn.node.xz" "$gpu/debs" "$gpu/models" "$gpu/out"

node scripts/gpu/bundle.mjs "$gpu"

# Compressed: dawn.node is 21 MB and node 99 MB raw, 5 MB and 24 MB as xz.
xz -T2 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node >"$gpu/dawn.node.xz"
node_version=$(node --version)
if [[ ! -s $gpu/node.xz || "$(cat "$gpu/node.version" 2>/dev/null)" != "$node_version" ]]; then
  xz -T2 -6 -c "$(command -v node)" >"$gpu/node.xz"
  echo "$node_version" >"$gpu/node.version"
fi

mkdir -p "$gpu/debs"
(
  cd "$gpu/debs"
  flock /tmp/kindred-apt.lock apt-get update -qq
  flock /tmp/kindred-apt.lock apt-get download -qq \
    libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libgles2 libopengl0 2>&1 | grep -v unsandboxed || true
)
ls "$gpu"/debs/libvulkan1_*.deb >/dev/null # fails loudly if the download did not happen

mkdir -p "$gpu/models"
cp -r "$shared/models/$model" "$gpu/models/"
chmod -R u+w "$gpu/models" # the shared copy is read-only

du -ah --max-depth=1 "$gpu" | sort -h
total_mib=$(($(du -sb "$gpu" | cut -f1) / 1048576))
echo "total .gpu: ${total_mib} MiB (limit for carrying: ${limit_mib} MiB)"
if ((total_mib > limit_mib)); then
  echo "error: .gpu is too large to carry to the GPU machine" >&2
  exit 1
fi

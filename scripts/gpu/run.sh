#!/usr/bin/env bash
# Embedding throughput (upload + MobileNetV2 forward + L2 + read back, excluding decode) from
# the bundle that scripts/gpu/prepare.sh put in .gpu/. See docs/GPU-CHECK.md.
#   bash scripts/gpu/run.sh              on the GPU machine (carry .gpu): WebGPU on the NVIDIA
#                                        Vulkan driver, batches 64 and 256
#   bash scripts/gpu/run.sh swiftshader  here: WebGPU on the CPU through SwiftShader, tiny batch
#   bash scripts/gpu/run.sh wasm         here: the WASM backend, tiny batch
# Env: SIZES (batch sizes), BATCHES (timed batches per size), UPLOAD (packed|plain),
# RUN_TIMEOUT (seconds per size). Results: $OUT/gpu-embed.txt (table) and gpu-embed.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
gpu=$repo/.gpu
mode=${1:-device}
out=${OUT:-$gpu/out}
mkdir -p "$out"

for f in embed-forward.mjs dawn.node.xz node.xz models/mobilenet_v2_1.0_224/manifest.json; do
  [[ -e $gpu/$f ]] || { echo "missing .gpu/$f: run scripts/gpu/prepare.sh first" >&2; exit 1; }
done

# Unpacked outside .gpu so that nothing large is left behind to be carried next time.
work=$(mktemp -d /tmp/kindred-gpu.XXXXXX)
trap 'rm -rf "$work"' EXIT
xz -dc "$gpu/node.xz" >"$work/node"
chmod +x "$work/node"
xz -dc "$gpu/dawn.node.xz" >"$work/dawn.node"
cp "$gpu/embed-forward.mjs" "$work/"
export KINDRED_MODELS_DIR=$gpu/models

nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
case $mode in
  device)
    if [[ ! -e $nvidia_icd ]] && ! command -v nvidia-smi >/dev/null; then
      echo "no NVIDIA driver here: use 'run.sh swiftshader' or 'run.sh wasm' off the GPU machine" >&2
      exit 1
    fi
    # The machine is bare: bring the Vulkan loader (and GL dispatch libraries) ourselves.
    for f in "$gpu"/debs/*.deb; do dpkg -x "$f" /; done
    ldconfig
    export VK_DRIVER_FILES=$nvidia_icd KINDRED_BACKEND=webgpu
    sizes=${SIZES:-64 256} batches=${BATCHES:-16}
    ;;
  swiftshader)
    export LD_LIBRARY_PATH=/usr/lib/chromium${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json KINDRED_BACKEND=webgpu
    sizes=${SIZES:-2} batches=${BATCHES:-1}
    ;;
  wasm)
    # The .wasm binaries are not bundled; off the GPU machine they come from node_modules.
    export KINDRED_BACKEND=wasm NODE_PATH=$repo/node_modules
    sizes=${SIZES:-2} batches=${BATCHES:-1}
    ;;
  *)
    echo "usage: run.sh [device|swiftshader|wasm]" >&2
    exit 2
    ;;
esac

log=$out/gpu-embed.log
table=$out/gpu-embed.txt
: >"$log"
gpu_name=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo none)
{
  echo "# Kindred embedding throughput, excluding decode (bench/embed-forward.ts, bundled)"
  echo "$(date -u +%FT%TZ), mode $mode, node $("$work/node" --version), $(nproc) cores, GPU: $gpu_name"
  echo
  echo "| batch | timed batches | backend (adapter) | upload+scale img/s | upload+MobileNetV2+L2+read back img/s |"
  echo "|---|---|---|---|---|"
} >"$table"

best=0
failed=0
for size in $sizes; do
  echo "== batch $size x $batches ($mode)" | tee -a "$log"
  set +e
  (cd "$work" && timeout "${RUN_TIMEOUT:-150}" ./node embed-forward.mjs "$size" "$batches" ${UPLOAD:-}) 2>&1 |
    tee -a "$log" >"$work/run.txt"
  rc=${PIPESTATUS[0]}
  set -e
  cat "$work/run.txt"
  backend=$(sed -n 's/^backend \(.*\), [0-9]* cores.*/\1/p' "$work/run.txt")
  upload=$(sed -n 's/^upload + scale only: \([0-9.]*\) img\/s/\1/p' "$work/run.txt")
  forward=$(sed -n 's/^upload + MobileNetV2 + L2 + read back: \([0-9.]*\) img\/s/\1/p' "$work/run.txt")
  if [[ $rc -ne 0 || -z $forward || $backend != "$KINDRED_BACKEND "* ]]; then
    failed=1
    echo "| $size | $batches | FAILED (exit $rc, backend '${backend:-none}', see gpu-embed.log) | | |" >>"$table"
    continue
  fi
  echo "| $size | $batches | $backend | $upload | $forward |" >>"$table"
  best=$(awk -v a="$best" -v b="$forward" 'BEGIN { print (b > a ? b : a) }')
done

if [[ $mode == device ]]; then
  verdict=$(awk -v b="$best" 'BEGIN { print (b >= 2000 ? "met" : "NOT met") }')
else
  verdict="not applicable (no NVIDIA GPU in mode $mode)"
fi
{
  echo
  echo "Target (>= 2,000 photos/s excluding decode on an H100/H200, WebGPU): $verdict; best $best img/s"
} >>"$table"
echo
cat "$table"
exit "$failed"

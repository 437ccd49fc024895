#!/usr/bin/env bash
# The course's exercise on the real MNIST test set: softmax-only (~92 %), MLP (>= 97.5 %) and
# CNN (>= 99.0 %), 5 epochs each at the defaults (Adam, lr 0.001, batch 128, all 60,000
# training images as Keras's fit(validation_split=0), seed 0). Prints each run's epochs and the test accuracy; the per-epoch history (seconds,
# images/s) goes to benchmarks/out/MODEL.json.
#   benchmarks/train_mnist.sh [MODEL...]     (default: softmax mlp cnn)
# MNIST is read from $CONVPLAY_SHARED/data/mnist (default ../shared beside the checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH=/opt/swift/usr/bin:$PATH
fi
shared="${CONVPLAY_SHARED:-../shared}"
data="$shared/data/mnist"
[ -d "$data" ] || { echo "train_mnist: no MNIST at $data (set CONVPLAY_SHARED)" >&2; exit 1; }
epochs="${EPOCHS:-5}"
seed="${SEED:-0}"
swift build -c release --product convplay >/dev/null
bin="$(swift build -c release --show-bin-path)/convplay"
mkdir -p benchmarks/out
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(softmax mlp cnn)
for m in "${models[@]}"; do
  echo "== $m (epochs $epochs, seed $seed)"
  "$bin" train --model "$m" --data "$data" --epochs "$epochs" --seed "$seed" --plain \
    --metrics "benchmarks/out/$m.json" --save "benchmarks/out/$m.safetensors"
done

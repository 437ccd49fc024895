#!/usr/bin/env bash
# Transfer learning against training from scratch, as the course's fine-tuning lesson asks:
# the built-in digits model (Keras's mnist_convnet trained on MNIST) gets a new 10-unit head
# and learns Fashion-MNIST in two phases (base frozen, then all layers at a tenth of the rate);
# the same architecture from random weights then trains for the same training time. Prints
# both test accuracies and times, and the whole run's wall time.
#   benchmarks/finetune_vs_scratch.sh            (FREEZE=2 FINETUNE=2 LIMIT=20000 SEED=0)
# "Training time" is the time spent in the optimizer's batches (what `finetune --scratch`
# budgets): loading the data, building the networks and evaluating the test set after each
# phase do not count against either side. Fashion-MNIST comes from Debian's
# dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), $CONVPLAY_DATA or
# `convplay data fetch fashion-mnist`; the test set is its first LIMIT test images.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH=/opt/swift/usr/bin:$PATH
fi
freeze="${FREEZE:-2}"
finetune="${FINETUNE:-2}"
limit="${LIMIT:-20000}"
seed="${SEED:-0}"
swift build -c release --product convplay >/dev/null
bin="$(swift build -c release --show-bin-path)/convplay"
mkdir -p benchmarks/out
log=benchmarks/out/finetune_vs_scratch.txt
echo "== finetune --base default --dataset fashion-mnist --freeze-epochs $freeze --finetune-epochs $finetune --limit $limit --seed $seed --scratch"
start=$(date +%s.%N)
"$bin" finetune --base default --dataset fashion-mnist --freeze-epochs "$freeze" --finetune-epochs "$finetune" \
  --limit "$limit" --seed "$seed" --scratch --plain | tee "$log"
end=$(date +%s.%N)
echo "== summary (load $(cut -d' ' -f1 /proc/loadavg), $(nproc) cores)"
grep -E '^phase [12]: test accuracy|^fine-tuned:|^from scratch: test accuracy' "$log"
awk -v s="$start" -v e="$end" 'BEGIN { printf "wall time of the whole run (both sides, data loading, evaluations): %.1fs\n", e - s }'

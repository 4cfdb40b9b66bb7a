#!/usr/bin/env bash
# Measures forward + backward of a 2-layer, 512-unit LSTM (batch 64 x 50 steps, input 512) with
# seq2seq and with PyTorch's nn.LSTM (2 threads) in the same session, and prints both rates
# and their ratio (ours / PyTorch). The machine may be shared, so the two alternate for
# ROUNDS rounds (default 3) and the medians over rounds are compared.
#   bench/compare_lstm.sh [ROUNDS]    # needs torch: pip install /opt/wheels/torch-*.whl
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
scripts/run bench lstm --list > /dev/null  # builds the release binary once, up front
results=$(mktemp -d)
for round in $(seq "$rounds"); do
    scripts/run bench lstm --json 2> /dev/null > "$results/ours-$round.json"
    python3 bench/peers/pytorch_lstm.py --json > "$results/pytorch-$round.json"
done
python3 - "$results" "$rounds" <<'PY'
import json, statistics, sys
directory, rounds = sys.argv[1], int(sys.argv[2])
ours = [json.load(open(f"{directory}/ours-{r}.json"))["results"][0]["ours"]
        for r in range(1, rounds + 1)]
peer = [json.load(open(f"{directory}/pytorch-{r}.json"))["results"][0]["reference"]
        for r in range(1, rounds + 1)]
print("rounds   " + "  ".join(f"{o:6.0f}/{p:<6.0f}" for o, p in zip(ours, peer)) + "  (ours/pytorch)")
print(f"seq2seq  {statistics.median(ours):8.0f} tokens/s (median of {rounds} rounds)")
print(f"pytorch  {statistics.median(peer):8.0f} tokens/s (median of {rounds} rounds)")
print(f"ratio    {statistics.median(ours) / statistics.median(peer):8.2f}x")
PY
rm -rf "$results"

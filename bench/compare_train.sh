#!/usr/bin/env bash
# Trains the issue's reference Transformer for a few steps with PyTorch and with seq2seq, in
# the same session, and prints both rates and their ratio (ours / PyTorch).
#   bench/compare_train.sh            # needs torch: pip install /opt/wheels/torch-*.whl
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/run bench train --json > /tmp/seq2seq-bench-train.json
python3 bench/peers/pytorch_train.py --json > /tmp/pytorch-bench-train.json
python3 - <<'PY'
import json
ours = json.load(open("/tmp/seq2seq-bench-train.json"))["results"][0]["ours"]
peer = json.load(open("/tmp/pytorch-bench-train.json"))["results"][0]["target_tokens_per_second"]
print(f"seq2seq  {ours:8.0f} target tokens/s")
print(f"pytorch  {peer:8.0f} target tokens/s")
print(f"ratio    {ours / peer:8.2f}x")
PY

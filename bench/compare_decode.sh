#!/usr/bin/env bash
# Decodes the reference model (Marian-shaped, d 256, 3 + 3 layers, vocabulary 8000, random
# weights from a fixed seed) with Hugging Face `generate`, CTranslate2 and seq2seq in one
# session, each engine in its own process, and prints every case with the ratios ours / HF and
# ours / CTranslate2, the medians over ROUNDS rounds that interleave the engines.
#   bench/compare_decode.sh                 # needs torch, transformers 4.46, ctranslate2
#   ROUNDS=5 MODEL_DIR=/tmp/decode-ref bench/compare_decode.sh
# The model is generated on demand under MODEL_DIR (never committed): MODEL_DIR/hf (the
# checkpoint), MODEL_DIR/ct2 (ct2-transformers-converter, float32) and MODEL_DIR/native
# (`seq2seq import hf`). A sanity line checks that the three engines give the same greedy
# tokens on the 32 benchmark sources.
set -euo pipefail
cd "$(dirname "$0")/.."
model_dir=${MODEL_DIR:-/tmp/seq2seq-decode-reference}
rounds=${ROUNDS:-3}
results=$(mktemp -d /tmp/compare-decode.XXXXXX)

if [ ! -f "$model_dir/hf/model.safetensors" ] || [ ! -f "$model_dir/ct2/model.bin" ]; then
    python3 bench/peers/make_decode_model.py "$model_dir"
fi
# Builds the release binary with the CPU flags of scripts/run, then imports the checkpoint.
scripts/run import hf "$model_dir/hf" --output "$model_dir/native" >&2
seq2seq=.build/release/seq2seq

PYTHONPATH=bench/peers python3 -c '
import json
from decode_inputs import sources
for source in sources():
    print(json.dumps(source))' > "$results/sources.jsonl"
"$seq2seq" generate --model "$model_dir/native" --beam 1 --max-new-tokens 32 \
    --min-new-tokens 32 < "$results/sources.jsonl" > "$results/ours-greedy.jsonl"

cut -d' ' -f1-3 /proc/loadavg > "$results/load-before" 2>/dev/null || echo unknown > "$results/load-before"
for round in $(seq "$rounds"); do
    echo "round $round of $rounds" >&2
    python3 bench/peers/hf_generate.py "$model_dir/hf" > "$results/hf-$round.json"
    python3 bench/peers/ctranslate2_decode.py "$model_dir/ct2" > "$results/ct2-$round.json"
    "$seq2seq" bench decode --model "$model_dir/native" --json > "$results/ours-$round.json"
done
cut -d' ' -f1-3 /proc/loadavg > "$results/load-after" 2>/dev/null || echo unknown > "$results/load-after"

python3 - "$results" "$rounds" <<'PY'
import json
import statistics
import sys

directory, rounds = sys.argv[1], int(sys.argv[2])


def figures(engine):
    runs = [json.load(open(f"{directory}/{engine}-{r}.json")) for r in range(1, rounds + 1)]
    cases = {}
    for run in runs:
        for result in run["results"]:
            cases.setdefault(result["case"], (result["unit"], []))[1].append(result["ours"])
    medians = {case: (unit, statistics.median(values)) for case, (unit, values) in cases.items()}
    return medians, runs, {case: values for case, (_, values) in cases.items()}


ours, _, ours_rounds = figures("ours")
hf, hf_runs, hf_rounds = figures("hf")
ct2, ct2_runs, ct2_rounds = figures("ct2")
# Targets of the issue, as (engine, bound on ours / engine, higher is better).
targets = {
    "greedy-b1": [("hf", 0.5, False), ("ct2", 1.2, False)],
    "greedy-b32": [("ct2", 0.8, True)],
    "peak-rss": [("ct2", 1.0, False)],
}
load = [open(f"{directory}/load-{when}").read().strip() for when in ("before", "after")]
print(f"medians of {rounds} rounds (load average {load[0]} before, {load[1]} after)")
print(f"{'case':16} {'unit':9} {'seq2seq':>9} {'HF':>9} {'CT2':>9} {'ours/HF':>8} {'ours/CT2':>9}  targets")
for case, (unit, value) in ours.items():
    peers = {"hf": hf[case][1], "ct2": ct2[case][1]}
    checks = []
    for engine, bound, higher in targets.get(case, []):
        ratio = value / peers[engine]
        met = ratio >= bound if higher else ratio <= bound
        name = "HF" if engine == "hf" else "CT2"
        checks.append(f"ours/{name} {'>=' if higher else '<='} {bound}: {'met' if met else 'MISSED'}")
    print(f"{case:16} {unit:9} {value:9.2f} {peers['hf']:9.2f} {peers['ct2']:9.2f} "
          f"{value / peers['hf']:8.2f} {value / peers['ct2']:9.2f}  {'; '.join(checks)}")

print("per round (seq2seq | HF | CT2):")
for case in ours:
    rows = zip(ours_rounds[case], hf_rounds[case], ct2_rounds[case])
    print(f"  {case:16} " + "  ".join(f"{a:.1f}|{b:.1f}|{c:.1f}" for a, b, c in rows))

greedy_ours = [json.loads(line)["sequences"][0][1:] for line in open(f"{directory}/ours-greedy.jsonl")]
greedy_hf = hf_runs[-1]["greedy"]
greedy_ct2 = ct2_runs[-1]["greedy"]
same_hf = sum(a == b for a, b in zip(greedy_ours, greedy_hf))
same_ct2 = sum(a == b for a, b in zip(greedy_ours, greedy_ct2))
status = "OK" if same_hf == same_ct2 == len(greedy_ours) == len(greedy_hf) else "MISMATCH"
print(f"sanity: greedy tokens of the {len(greedy_ours)} sources: seq2seq = HF on {same_hf}, "
      f"seq2seq = CT2 on {same_ct2} ({status})")
PY
echo "raw results: $results" >&2

"""Prints the training curve of a run as a Markdown table, from its log.jsonl.

    python3 tools/results/training_curve.py runs/multi30k/log.jsonl

Columns: step, minutes of training, training loss (label-smoothed, per target token, over the
last logging window), target tokens/s, validation loss (per target token, no smoothing),
validation BLEU and chrF (greedy, sacreBLEU defaults).
"""
import json
import sys


def main(path):
    train, evals = {}, {}
    for line in open(path, encoding="utf-8"):
        record = json.loads(line)
        if record["event"] == "train":
            train[record["step"]] = record
        elif record["event"] == "eval":
            evals[record["step"]] = record
    print("| step | minutes | train loss | target tok/s | valid loss | valid BLEU | valid chrF |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for step in sorted(evals):
        before = [s for s in train if s <= step]
        t = train[max(before)] if before else {}
        e = evals[step]
        minutes = e.get("elapsed_seconds", t.get("elapsed_seconds", 0)) / 60
        print(f"| {step} | {minutes:.1f} | {t.get('loss', float('nan')):.3f} | "
              f"{t.get('target_tokens_per_second', float('nan')):.0f} | "
              f"{e['valid_loss']:.3f} | {e['bleu']:.2f} | {e['chrf']:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1])

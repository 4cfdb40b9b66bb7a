"""Prints the validation curve of a `seq2seq task train` run as a Markdown table, from its
log.jsonl, then the run's totals.

    python3 tools/results/task_curve.py runs/ptrnet-hull-10/log.jsonl

Columns: step, minutes of training (wall clock), training examples seen, validation loss (per
predicted slot), exact accuracy, valid rate, and the task's own figure (area coverage for
convex hulls, mean tour length and its ratio to the reference for TSP, sorted rate for
sorting).
"""
import json
import sys


def main(path):
    evals, finished = [], None
    for line in open(path, encoding="utf-8"):
        record = json.loads(line)
        if record["event"] == "eval":
            evals.append(record)
        elif record["event"] in ("finished", "interrupted"):
            finished = record
    print("| step | minutes | examples | valid loss | exact | valid | task figure |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for e in evals:
        if "area_coverage" in e:
            figure = f"area {100 * e['area_coverage']:.2f}%"
        elif "tour_length_ratio" in e:
            figure = f"tour {e['mean_tour_length']:.4f} (ratio {e['tour_length_ratio']:.4f})"
        elif "sorted_rate" in e:
            figure = f"sorted {100 * e['sorted_rate']:.2f}%"
        else:
            figure = ""
        print(f"| {e['step']} | {e.get('elapsed_seconds', 0) / 60:.1f} | "
              f"{e.get('examples_seen', 0)} | {e['valid_loss']:.4f} | "
              f"{100 * e['exact_accuracy']:.2f}% | {100 * e.get('valid_rate', 0):.2f}% | "
              f"{figure} |")
    if finished:
        print(f"\n{finished['event']} at step {finished['step']}: {finished.get('reason', '')}, "
              f"{finished.get('examples_seen', '?')} examples seen")


if __name__ == "__main__":
    main(sys.argv[1])

"""PyTorch peer for `seq2seq bench lstm`: tokens per second of an LSTM forward + backward.

torch.nn.LSTM(512, 512, num_layers=2, batch_first=True) on a random batch of 64 x 50 steps
(the input needs no gradient); the loss weights every output, (output * projection).mean(),
and backward reaches every parameter. 2 threads, as seq2seq's budget on this machine.

    python3 bench/peers/pytorch_lstm.py [--steps N] [--warmup N] [--json]

Prints tokens/s (64 * 50 over the median time of one forward + backward). With --json, the
same shape of report as `seq2seq bench lstm --json`, with the figure under "reference".
Needs torch (the CPU wheel that ships with the machine image); never used by the Swift build
or tests.
"""
import argparse
import json
import statistics
import time

import torch

BATCH, STEPS, SIZE, LAYERS = 64, 50, 512, 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(SIZE, SIZE, num_layers=LAYERS, batch_first=True)
    lstm.train()
    x = torch.randn(BATCH, STEPS, SIZE)
    projection = torch.randn(BATCH, STEPS, SIZE)
    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        output, _ = lstm(x)
        (output * projection).mean().backward()
        lstm.zero_grad(set_to_none=True)
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
    rate = BATCH * STEPS / statistics.median(times)
    if args.json:
        print(json.dumps({"results": [{"suite": "lstm", "case": "2x512-b64-t50",
                                        "unit": "tokens/s", "peer": "pytorch",
                                        "torch": torch.__version__, "threads": 2,
                                        "repetitions": args.steps, "reference": rate}]}))
    else:
        print(f"pytorch {torch.__version__}: {rate:.0f} tokens/s "
              f"(median of {args.steps} steps, 2 threads)")


if __name__ == "__main__":
    main()

"""PyTorch peer for `seq2seq bench train`: target tokens per second of one training step.

The reference configuration of issue 3, on random data: a post-norm Transformer
encoder-decoder (d=256, 4 heads, FFN 1024, ReLU, 3+3 layers, dropout 0.1), a joint vocabulary
of 8000 with shared embeddings scaled by sqrt(d), sinusoidal positions and a tied output
projection; batch 64 pairs x 32 source + 32 target tokens; label-smoothed (0.1)
cross-entropy; AdamW (lr 1e-3, betas (0.9, 0.98), weight decay 1e-4); gradient clipping at
1.0; 2 threads.

    python3 bench/peers/pytorch_train.py [--steps N] [--warmup N] [--json]

Prints target tokens/s (median over steps). Needs torch (the CPU wheel that ships with the
machine image); never used by the Swift build or tests.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn

D, HEADS, FFN, LAYERS, VOCAB = 256, 4, 1024, 3, 8000
BATCH, SOURCE_LENGTH, TARGET_LENGTH = 64, 32, 32


def sinusoidal(length, dim):
    position = torch.arange(length).unsqueeze(1)
    frequency = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
    table = torch.zeros(length, dim)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, D, padding_idx=0)
        nn.init.normal_(self.embedding.weight, 0, D ** -0.5)
        self.transformer = nn.Transformer(
            d_model=D, nhead=HEADS, num_encoder_layers=LAYERS, num_decoder_layers=LAYERS,
            dim_feedforward=FFN, dropout=0.1, batch_first=True)
        self.register_buffer("positions", sinusoidal(512, D))
        self.dropout = nn.Dropout(0.1)

    def embed(self, ids):
        x = self.embedding(ids) * math.sqrt(D) + self.positions[: ids.shape[1]]
        return self.dropout(x)

    def forward(self, source, target_input):
        mask = self.transformer.generate_square_subsequent_mask(target_input.shape[1])
        hidden = self.transformer(
            self.embed(source), self.embed(target_input), tgt_mask=mask, tgt_is_causal=True)
        return hidden @ self.embedding.weight.T


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = Model()
    model.train()
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=1e-3, betas=(0.9, 0.98), weight_decay=1e-4)
    loss_function = nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=0)
    generator = torch.Generator().manual_seed(1)
    source = torch.randint(4, VOCAB, (BATCH, SOURCE_LENGTH), generator=generator)
    target = torch.randint(4, VOCAB, (BATCH, TARGET_LENGTH + 1), generator=generator)
    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        logits = model(source, target[:, :-1])
        loss = loss_function(logits.reshape(-1, VOCAB), target[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
    rate = BATCH * TARGET_LENGTH / statistics.median(times)
    if args.json:
        print(json.dumps({"results": [{"suite": "train", "case": "ref-encdec",
                                        "unit": "target tokens/s", "peer": "pytorch",
                                        "torch": torch.__version__, "threads": 2,
                                        "target_tokens_per_second": rate}]}))
    else:
        print(f"pytorch {torch.__version__}: {rate:.0f} target tokens/s "
              f"(median of {args.steps} steps, 2 threads)")


if __name__ == "__main__":
    main()

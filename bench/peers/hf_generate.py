"""Hugging Face peer of `seq2seq bench decode`: `generate()` on the reference model.

    python3 bench/peers/hf_generate.py MODEL_DIR [--quick]

MODEL_DIR is the `hf` folder written by `make_decode_model.py`. Measures, with 2 threads
under `torch.inference_mode()`, the cases of `seq2seq bench decode` on the inputs of
`decode_inputs.py` (median of repeated runs after warm-up) and prints one JSON object:
`{"engine": "hf", "results": [...], "greedy": [[...], ...]}`, `greedy` being the 32 batch-32
greedy outputs without the start token. transformers 4.46.3 and the machine's torch CPU wheel;
never used by the Swift build or tests.
"""
import argparse

import torch
from transformers import MarianMTModel

from decode_inputs import END, NEW_TOKENS, PAD, median_seconds, report, sources


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--quick", action="store_true", help="one run per case, no warm-up")
    args = parser.parse_args()
    torch.set_num_threads(2)
    model = MarianMTModel.from_pretrained(args.model).eval()
    batch = torch.tensor(sources())
    one = batch[:1]
    warmup, repetitions = (0, 1) if args.quick else (2, 10)

    def generate(input_ids, beams=1, new_tokens=NEW_TOKENS):
        return model.generate(
            input_ids=input_ids, attention_mask=torch.ones_like(input_ids), num_beams=beams,
            do_sample=False, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
            bad_words_ids=[[PAD]], decoder_start_token_id=PAD, eos_token_id=END,
            pad_token_id=PAD, length_penalty=1.0)

    with torch.inference_mode():
        timings = {
            "greedy-b1": median_seconds(lambda: generate(one), warmup, repetitions),
            "first-token-b1": median_seconds(
                lambda: generate(one, new_tokens=1), warmup, repetitions),
            "beam4-b1": median_seconds(lambda: generate(one, beams=4), warmup, repetitions),
            "greedy-b32": median_seconds(
                lambda: generate(batch), min(warmup, 1), max(1, repetitions // 2)),
        }
        greedy = generate(batch)[:, 1:].tolist()
    print(report("hf", timings, greedy))


if __name__ == "__main__":
    main()

"""CTranslate2 peer of `seq2seq bench decode`: `Translator.translate_batch` on the reference
model converted by `ct2-transformers-converter` (float32).

    python3 bench/peers/ctranslate2_decode.py CT2_DIR [--quick]

CT2_DIR is the `ct2` folder written by `make_decode_model.py`. Runs on the CPU with
`intra_threads=2`, `inter_threads=1`, measures the cases of `seq2seq bench decode` on the
inputs of `decode_inputs.py` (median of repeated runs after warm-up) and prints one JSON
object: `{"engine": "ctranslate2", "results": [...], "greedy": [[...], ...]}`. Imports
neither torch nor transformers, so its peak RSS is CTranslate2's own.
"""
import argparse
import json
import os

import ctranslate2

from decode_inputs import NEW_TOKENS, median_seconds, report, sources


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--quick", action="store_true", help="one run per case, no warm-up")
    args = parser.parse_args()
    translator = ctranslate2.Translator(
        args.model, device="cpu", compute_type="float32", intra_threads=2, inter_threads=1)
    with open(os.path.join(args.model, "shared_vocabulary.json")) as file:
        vocabulary = json.load(file)
    ids = {token: index for index, token in enumerate(vocabulary)}
    batch = [[vocabulary[i] for i in source] for source in sources()]
    one = batch[:1]
    warmup, repetitions = (0, 1) if args.quick else (2, 10)

    def translate(tokens, beams=1, new_tokens=NEW_TOKENS):
        return translator.translate_batch(
            tokens, beam_size=beams, max_decoding_length=new_tokens,
            min_decoding_length=new_tokens, length_penalty=1.0, max_batch_size=0)

    timings = {
        "greedy-b1": median_seconds(lambda: translate(one), warmup, repetitions),
        "first-token-b1": median_seconds(
            lambda: translate(one, new_tokens=1), warmup, repetitions),
        "beam4-b1": median_seconds(lambda: translate(one, beams=4), warmup, repetitions),
        "greedy-b32": median_seconds(
            lambda: translate(batch), min(warmup, 1), max(1, repetitions // 2)),
    }
    greedy = [[ids[token] for token in result.hypotheses[0]] for result in translate(batch)]
    print(report("ctranslate2", timings, greedy))


if __name__ == "__main__":
    main()

"""Creates the reference model of the decoding benchmark, for all three engines.

A Hugging Face `MarianMTModel` with random weights from a fixed torch seed: d_model 256,
4 heads, FFN 1024, 3 encoder + 3 decoder layers, SiLU ("swish", as OPUS-MT), a shared
vocabulary of 8000 (id 0 `</s>`, 1 `<unk>`, 7999 `<pad>` = decoder start, as Marian's
converted models), saved with safetensors. The decoding benchmark feeds token ids directly,
so the tokenizer is only a minimal one that the importers accept: a tiny SentencePiece model
as `source.spm` and `target.spm` and a `vocab.json` covering all 8000 ids.

    python3 bench/peers/make_decode_model.py OUT_DIR

writes `OUT_DIR/hf` (the checkpoint) and `OUT_DIR/ct2` (`ct2-transformers-converter`'s
conversion, float32). `bench/compare_decode.sh` imports `OUT_DIR/hf` with
`seq2seq import hf` into `OUT_DIR/native`. Nothing here is committed: rerun it to regenerate
the same weights (same seed, same torch CPU wheel).
"""
import argparse
import io
import json
import os
import random
import sys

import sentencepiece as spm
import torch
from ctranslate2.converters import TransformersConverter
from transformers import GenerationConfig, MarianConfig, MarianMTModel

VOCAB, PAD, EOS, UNK = 8000, 7999, 0, 1
SEED = 1234


def reference_config():
    return MarianConfig(
        vocab_size=VOCAB, decoder_vocab_size=VOCAB, d_model=256,
        encoder_layers=3, decoder_layers=3, encoder_attention_heads=4,
        decoder_attention_heads=4, encoder_ffn_dim=1024, decoder_ffn_dim=1024,
        activation_function="swish", max_position_embeddings=512, scale_embedding=True,
        share_encoder_decoder_embeddings=True, pad_token_id=PAD, eos_token_id=EOS,
        decoder_start_token_id=PAD, forced_eos_token_id=None, dropout=0.1,
        attention_dropout=0.0, activation_dropout=0.0, init_std=0.05)


def write_tokenizer(directory):
    """A tiny SentencePiece model on synthetic words, and ids for every model row."""
    rng = random.Random(SEED)
    letters = "abcdefghijklmnopqrstuvwxyz"
    lines = [
        " ".join("".join(rng.choice(letters) for _ in range(rng.randint(2, 7)))
                 for _ in range(12))
        for _ in range(2000)
    ]
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=200,
        model_type="unigram", character_coverage=1.0, bos_id=-1, eos_id=-1, unk_id=0,
        num_threads=1, minloglevel=2)
    for name in ("source.spm", "target.spm"):
        with open(os.path.join(directory, name), "wb") as file:
            file.write(model.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocabulary = {"</s>": EOS, "<unk>": UNK}
    for piece in pieces:
        if piece not in vocabulary and len(vocabulary) < PAD:
            vocabulary[piece] = len(vocabulary)
    filler = 0
    while len(vocabulary) < PAD:
        vocabulary[f"<extra_{filler}>"] = len(vocabulary)
        filler += 1
    vocabulary["<pad>"] = PAD
    with open(os.path.join(directory, "vocab.json"), "w") as file:
        json.dump(vocabulary, file, ensure_ascii=False)
    with open(os.path.join(directory, "tokenizer_config.json"), "w") as file:
        json.dump({"tokenizer_class": "MarianTokenizer", "source_lang": "xx",
                   "target_lang": "yy", "separate_vocabs": False,
                   "model_max_length": 512}, file)


class Converter(TransformersConverter):
    """`ct2-transformers-converter`, through its Python class.

    ctranslate2 4.8.5 passes `dtype=` to `from_pretrained`, which transformers 4.46.3 only
    knows as `torch_dtype`; everything else is the command's own code path.
    """

    def load_model(self, model_class, model_name_or_path, **kwargs):
        if "dtype" in kwargs:
            kwargs["torch_dtype"] = kwargs.pop("dtype")
        return model_class.from_pretrained(model_name_or_path, **kwargs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    args = parser.parse_args()
    hf = os.path.join(args.output, "hf")
    os.makedirs(hf, exist_ok=True)
    torch.manual_seed(SEED)
    model = MarianMTModel(reference_config()).eval()
    model.generation_config = GenerationConfig(
        decoder_start_token_id=PAD, eos_token_id=EOS, pad_token_id=PAD,
        bad_words_ids=[[PAD]], max_new_tokens=32, num_beams=1)
    model.save_pretrained(hf, safe_serialization=True)
    write_tokenizer(hf)
    print(f"wrote {hf}", file=sys.stderr)
    ct2 = os.path.join(args.output, "ct2")
    Converter(hf).convert(ct2, quantization="float32", force=True)
    print(f"wrote {ct2}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""The fixed inputs and report format shared by the decoding-benchmark peers.

Sources: 32 sentences of 31 ids in [2, 7998] followed by the end id 0 (32 tokens), drawn
with SplitMix64 so that `seq2seq bench decode` (`DecodeSuite.sources` in Swift) builds the
very same ids. Each case generates exactly 32 new tokens (min = max = 32, so the end token
cannot stop it early); id 7999 (`<pad>`, the decoder start) is banned as Marian checkpoints
ban it.
"""
import json
import statistics
import time

SENTENCES, SOURCE_LENGTH, NEW_TOKENS = 32, 32, 32
END, PAD, VOCAB = 0, 7999, 8000
MASK = (1 << 64) - 1


def splitmix64(state):
    """One SplitMix64 output for `state` (Steele, Lea and Flood 2014)."""
    z = (state + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def sources():
    """The 32 source id lists, each ending with the end id."""
    return [
        [2 + splitmix64(s * 64 + t) % (VOCAB - 3) for t in range(SOURCE_LENGTH - 1)] + [END]
        for s in range(SENTENCES)
    ]


def median_seconds(body, warmup, repetitions):
    """The median wall-clock seconds of `repetitions` calls of `body` after `warmup` calls."""
    for _ in range(warmup):
        body()
    samples = []
    for _ in range(max(1, repetitions)):
        start = time.perf_counter()
        body()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def peak_rss_mib():
    """The process's peak resident set size (ru_maxrss, KiB on Linux) in MiB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(engine, timings, greedy):
    """The `{"results": [...]}` object of one engine: `timings` maps case to seconds."""
    results = [
        {"suite": "decode", "case": "greedy-b1", "unit": "ms",
         "ours": timings["greedy-b1"] * 1e3},
        {"suite": "decode", "case": "first-token-b1", "unit": "ms",
         "ours": timings["first-token-b1"] * 1e3},
        {"suite": "decode", "case": "beam4-b1", "unit": "ms",
         "ours": timings["beam4-b1"] * 1e3},
        {"suite": "decode", "case": "greedy-b32", "unit": "tokens/s",
         "ours": SENTENCES * NEW_TOKENS / timings["greedy-b32"]},
        {"suite": "decode", "case": "peak-rss", "unit": "MiB", "ours": peak_rss_mib()},
    ]
    return json.dumps({"engine": engine, "results": results, "greedy": greedy})

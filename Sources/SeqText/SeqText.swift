/// Tokenizers, vocabularies, readers and batching for sequence data: ids only, no tensors.
public enum SeqText {}

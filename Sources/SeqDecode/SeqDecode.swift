/// Search algorithms over any `IncrementalDecoder`.
public enum SeqDecode {}

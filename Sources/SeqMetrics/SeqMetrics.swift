/// Scores of machine-translation output that agree with sacrebleu 2.x to the printed digit.
public enum SeqMetrics {}

@_exported import SeqNN
@_exported import SeqTensor
@_exported import SeqMetrics
@_exported import SeqText

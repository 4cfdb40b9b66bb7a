@_exported import SeqNN
@_exported import SeqTensor
@_exported import SeqMetrics
@_exported import SeqText
@_exported import SeqDecode
@_exported import SeqModels
@_exported import SeqTrain
@_exported import SeqInterop

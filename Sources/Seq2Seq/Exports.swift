@_exported import SeqNN
@_exported import SeqTensor

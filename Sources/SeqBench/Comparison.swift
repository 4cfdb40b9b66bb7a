import Seq2Seq

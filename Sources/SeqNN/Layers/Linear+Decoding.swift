import SeqKernels
import SeqTensor

extension Linear {
    /// This layer as a target of `linearRows`, writing (or, with `accumulates`, adding) row
    /// `r`'s outputs at `output + r · outputStride`.
    ///
    /// The pointers are the parameters' storage: use the target only while the weights are
    /// neither reassigned nor updated (within one decoding step).
    package func rowsTarget(
        output: UnsafeMutablePointer<Float>, outputStride: Int? = nil, accumulates: Bool = false
    ) -> LinearRowsTarget {
        LinearRowsTarget(
            weight: weight.untrackedValue.storage.pointer,
            bias: bias.map { $0.untrackedValue.storage.pointer }, output: output,
            outputSize: outputSize, outputStride: outputStride, accumulates: accumulates)
    }
}

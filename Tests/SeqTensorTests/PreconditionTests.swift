import SeqTensor
import Testing

/// Programmer errors trap with a message that names the op and the shapes.
@Suite struct PreconditionTests {
    @Test func matmulTrapsOnMismatchedInnerDimensions() async {
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            _ = Tensor.zeros([2, 3]).matmul(.zeros([4, 5]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("matmul: inner dimensions differ, [2, 3] × [4, 5]"))
    }

    @Test func broadcastingTrapsOnIncompatibleShapes() async {
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("+: shapes [2, 3] and [4] cannot be broadcast together"))
    }

    @Test func reshapeTrapsOnWrongElementCount() async {
        let result = await #expect(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            _ = Tensor.zeros([2, 3]).reshaped([4, 2])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("reshaped: cannot reshape [2, 3] into [4, 2]"))
    }
}

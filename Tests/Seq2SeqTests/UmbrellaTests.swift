import Seq2Seq
import Testing

/// `import Seq2Seq` alone gives a user tensors, layers and metrics.
@Suite struct UmbrellaTests {
    @Test func umbrellaReExportsTheLibraries() {
        var generator = SeededGenerator(seed: 0)
        let x = Tensor.normal([2, 3], using: &generator)
        let g = gradient(of: { ($0 * $0).sum() }, at: x)
        #expect(g.scalars == x.scalars.map { 2 * $0 })
        final class Tiny: Module {
            let weight = Parameter(.ones([2]))
        }
        #expect(Tiny().namedParameters().map(\.path) == ["weight"])
    }
}

// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Seq2Seq",
    platforms: [.macOS(.v14), .iOS(.v17)],
    products: [
        .library(name: "Seq2Seq", targets: ["Seq2Seq"]),
        .executable(name: "seq2seq", targets: ["seq2seq"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System BLAS (Apple platforms use Accelerate instead).
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),

        // SentencePiece through a plain C API over Debian's libsentencepiece-dev; zlib for gzip.
        .target(
            name: "CSentencePiece",
            linkerSettings: [.linkedLibrary("sentencepiece"), .linkedLibrary("sentencepiece_train")]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Tensor core
        .target(
            name: "SeqKernels",
            dependencies: [.target(name: "CBLAS", condition: .when(platforms: [.linux]))]),
        .target(name: "SeqTensor", dependencies: ["SeqKernels"]),

        // Layers, optimizers, checkpoints
        .target(name: "SeqNN", dependencies: ["SeqTensor"]),

        // Tokenizers, readers and batching: ids only, no tensors.
        .target(name: "SeqText", dependencies: ["CSentencePiece", "CZlib"]),

        // Metrics: no dependencies, so they can be checked against sacrebleu on their own.
        .target(name: "SeqMetrics"),

        // Model families and what consumes them
        .target(name: "SeqModels", dependencies: ["SeqNN"]),
        .target(name: "SeqDecode", dependencies: ["SeqModels", "SeqTensor"]),
        .target(
            name: "SeqTrain",
            dependencies: [
                "SeqModels", "SeqDecode", "SeqText", "SeqMetrics", "SeqNN", "SeqTensor",
                .product(name: "Yams", package: "Yams"),
            ]),
        // Checkpoints of other toolkits (Hugging Face) as native model directories.
        .target(
            name: "SeqInterop",
            dependencies: ["SeqModels", "SeqText", "SeqTrain", "SeqNN", "SeqTensor"]),

        // Umbrella and front ends
        .target(
            name: "Seq2Seq",
            dependencies: [
                "SeqTensor", "SeqNN", "SeqMetrics", "SeqText", "SeqModels", "SeqDecode",
                "SeqTrain", "SeqInterop",
            ]),
        .target(name: "SeqBench", dependencies: ["Seq2Seq", "SeqKernels"]),
        .executableTarget(
            name: "seq2seq",
            dependencies: [
                "Seq2Seq", "SeqBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Test support, then one test target per library
        .target(name: "SeqTesting", dependencies: ["SeqTensor", "SeqNN"], path: "Tests/SeqTesting"),
        .testTarget(name: "SeqKernelsTests", dependencies: ["SeqKernels"]),
        .testTarget(
            name: "SeqTensorTests", dependencies: ["SeqTensor", "SeqKernels", "SeqTesting"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SeqNNTests", dependencies: ["SeqNN", "SeqTensor", "SeqTesting"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SeqModelsTests", dependencies: ["SeqModels", "SeqDecode", "SeqTesting"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "SeqTrainTests", dependencies: ["SeqTrain", "SeqTesting"]),
        .testTarget(
            name: "SeqDecodeTests",
            dependencies: ["SeqDecode", "SeqModels", "SeqTensor", "SeqTesting"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SeqTextTests", dependencies: ["SeqText"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SeqMetricsTests", dependencies: ["SeqMetrics"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "Seq2SeqTests", dependencies: ["Seq2Seq", "SeqTesting"]),
        .testTarget(name: "SeqBenchTests", dependencies: ["SeqBench"]),
        .testTarget(name: "Seq2SeqCLITests", dependencies: ["seq2seq", "SeqTesting"]),
        .testTarget(
            name: "SeqInteropTests",
            dependencies: [
                "SeqInterop", "SeqModels", "SeqText", "SeqTrain", "SeqDecode", "SeqNN", "SeqTensor",
                "SeqTesting", "seq2seq",
            ],
            // Read from the source tree by path (Tests/SeqInteropTests/Fixtures).
            exclude: ["Fixtures"]),
    ]
)

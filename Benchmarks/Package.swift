// swift-tools-version: 6.1

import PackageDescription

// A package of its own, so that building and testing Earpiece never pulls in the benchmark harness.
let package = Package(
    name: "EarpieceBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Earpiece", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "AudioBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EarpieceAudio", package: "Earpiece"),
                .product(name: "COpus", package: "Earpiece"),
            ],
            path: "AudioBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

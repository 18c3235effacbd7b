// swift-tools-version: 6.1

import PackageDescription

// A package of its own, so that building and testing Earpiece never pulls in the benchmark harness.
let package = Package(
    name: "EarpieceBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Earpiece", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        // The same range as the root package, so that the bare AES-GCM baseline runs the very library we seal with.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // A call session takes a Logger; the root package's range.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
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
        // CPU time to the nanosecond, for rows quicker than ordo-one's 10 ms CPU tick.
        .target(
            name: "ProcessCPUClock",
            dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "ProcessCPUClock"
        ),
        // Sealing and opening recordings against bare AES-GCM on the same segments.
        .executableTarget(
            name: "VaultBenchmarks",
            dependencies: [
                "ProcessCPUClock",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "EarpieceAudio", package: "Earpiece"),
                .product(name: "EarpieceVault", package: "Earpiece"),
            ],
            path: "VaultBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The fixture call decoded to 16 kHz once, and the models, for the guidance benchmarks and the footprint run.
        // EarpieceGuidance is not a product of its own: it comes in with EarpieceCalls.
        .target(
            name: "GuidanceFixtures",
            dependencies: [
                .product(name: "EarpieceAudio", package: "Earpiece"),
                .product(name: "EarpieceCalls", package: "Earpiece"),
            ],
            path: "GuidanceFixtures"
        ),
        .executableTarget(
            name: "GuidanceBenchmarks",
            dependencies: [
                "GuidanceFixtures",
                "ProcessCPUClock",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CWebRTCVAD", package: "Earpiece"),
                .product(name: "EarpieceAudio", package: "Earpiece"),
                .product(name: "EarpieceCalls", package: "Earpiece"),
            ],
            path: "GuidanceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The whole CallSession per tier, recording included. EarpieceStore (the SQLite store a recorder needs) is
        // not a product of its own: it comes in with EarpieceCalls, as EarpieceGuidance does.
        .executableTarget(
            name: "SessionBenchmarks",
            dependencies: [
                "GuidanceFixtures",
                "ProcessCPUClock",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EarpieceAudio", package: "Earpiece"),
                .product(name: "EarpieceCalls", package: "Earpiece"),
                .product(name: "EarpieceVault", package: "Earpiece"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "SessionBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Not a benchmark: resident memory per call and per tier, which needs a process of its own per tier.
        .executableTarget(
            name: "GuidanceFootprint",
            dependencies: [
                "GuidanceFixtures",
                .product(name: "EarpieceAudio", package: "Earpiece"),
                .product(name: "EarpieceCalls", package: "Earpiece"),
            ],
            path: "GuidanceFootprint"
        ),
    ],
    swiftLanguageModes: [.v6]
)

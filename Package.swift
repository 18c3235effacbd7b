// swift-tools-version: 6.1

import PackageDescription

let package = Package(
    name: "Earpiece",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "earpiece", targets: ["earpiece"]),
        .library(name: "EarpieceAudio", targets: ["EarpieceAudio"]),
        // Exposed so that Benchmarks/ can run a bare libopus loop beside our decoder.
        .library(name: "COpus", targets: ["COpus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpus",
            pkgConfig: "opus",
            providers: [.apt(["libopus-dev"])]
        ),
        .target(
            name: "EarpieceAudio",
            dependencies: ["COpus"]
        ),
        .executableTarget(
            name: "earpiece",
            dependencies: [
                "EarpieceAudio",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "EarpieceAudioTests",
            dependencies: ["EarpieceAudio", "COpus"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

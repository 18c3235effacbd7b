// swift-tools-version: 6.1

import PackageDescription

let package = Package(
    name: "Earpiece",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "earpiece", targets: ["earpiece"]),
        .library(name: "EarpieceAudio", targets: ["EarpieceAudio"]),
        .library(name: "EarpieceCalls", targets: ["EarpieceCalls"]),
        .library(name: "EarpieceServer", targets: ["EarpieceServer"]),
        // Exposed so that Benchmarks/ can measure these beside their bare libraries (libopus, WebRTC's VAD,
        // AES-GCM).
        .library(name: "COpus", targets: ["COpus"]),
        .library(name: "CWebRTCVAD", targets: ["CWebRTCVAD"]),
        .library(name: "EarpieceVault", targets: ["EarpieceVault"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.22.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        // jwt-kit 5 needs swift-crypto 4.1 or later; 4.x's SymmetricKey is Sendable.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
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
        // No pkgConfig: its cflags carry -D defines SwiftPM refuses, and the VAD needs none of those headers.
        .systemLibrary(
            name: "CWebRTCVAD",
            providers: [.apt(["libwebrtc-audio-processing-dev"])]
        ),
        // The noise suppressor from the same library, for what the recognizer hears; no pkgConfig, as above.
        .systemLibrary(
            name: "CWebRTCNoiseSuppression",
            providers: [.apt(["libwebrtc-audio-processing-dev"])]
        ),
        .systemLibrary(
            name: "CPocketSphinx",
            pkgConfig: "pocketsphinx",
            providers: [.apt(["libpocketsphinx-dev"])]
        ),
        .target(
            name: "EarpieceGuidance",
            dependencies: ["CWebRTCVAD", "CWebRTCNoiseSuppression", "CPocketSphinx", "EarpieceAudio"]
        ),
        .target(
            name: "EarpieceKeyFiles"
        ),
        .target(
            name: "EarpieceAuth",
            dependencies: [
                "EarpieceKeyFiles",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "EarpieceVault",
            dependencies: [
                "EarpieceKeyFiles",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "EarpieceStore",
            dependencies: [
                "EarpieceAuth",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "EarpieceCalls",
            dependencies: [
                "EarpieceAudio",
                "EarpieceGuidance",
                "EarpieceStore",
                "EarpieceVault",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "EarpieceServer",
            dependencies: [
                "EarpieceCalls",
                "EarpieceAuth",
                "EarpieceStore",
                "EarpieceVault",
                "EarpieceKeyFiles",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The web client, copied beside the executable (earpiece_EarpieceServer.resources/web).
            resources: [.copy("Resources/web")]
        ),
        .executableTarget(
            name: "earpiece",
            dependencies: [
                "EarpieceAudio",
                "EarpieceCalls",
                "EarpieceServer",
                "EarpieceAuth",
                "EarpieceVault",
                "EarpieceStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // `earpiece loadgen` is a WebSocket client of the gateway.
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "EarpieceAudioTests",
            dependencies: ["EarpieceAudio", "COpus"]
        ),
        .testTarget(
            name: "EarpieceGuidanceTests",
            dependencies: ["EarpieceGuidance", "EarpieceAudio"]
        ),
        .testTarget(
            name: "EarpieceAuthTests",
            dependencies: [
                "EarpieceAuth",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EarpieceVaultTests",
            dependencies: [
                "EarpieceVault",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "EarpieceStoreTests",
            dependencies: ["EarpieceStore", "EarpieceAuth", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "EarpieceCallsTests",
            dependencies: ["EarpieceCalls", "EarpieceAudio", "EarpieceGuidance", "EarpieceStore", "EarpieceVault"]
        ),
        .testTarget(
            name: "EarpieceServerTests",
            dependencies: [
                "EarpieceServer",
                "EarpieceStore",
                "EarpieceAuth",
                "EarpieceAudio",
                "EarpieceCalls",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

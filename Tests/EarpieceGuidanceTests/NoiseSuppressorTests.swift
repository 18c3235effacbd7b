@testable import EarpieceGuidance
import Testing

/// WebRTC's noise suppressor in front of the recognizer: it takes steady noise down and lets a change through.
@Suite struct NoiseSuppressorTests {
    /// Deterministic white noise at about `level` RMS (a linear congruential generator, so runs repeat).
    private static func noise(frames: Int, level: Double, seed: inout UInt64) -> [[Int16]] {
        (0..<frames).map { _ in
            (0..<AnalysisFrame.sampleCount).map { _ in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let uniform = Double(seed >> 11) / Double(1 << 53) * 2 - 1
                return Int16(uniform * level * 3.0.squareRoot())
            }
        }
    }

    private static func rms(_ frames: some Collection<[Int16]>) -> Double {
        var sum = 0.0, count = 0
        for frame in frames {
            for sample in frame { sum += Double(sample) * Double(sample) }
            count += frame.count
        }
        return (sum / Double(max(1, count))).squareRoot()
    }

    private static func run(_ suppressor: inout NoiseSuppressor, _ frames: [[Int16]]) -> [[Int16]] {
        frames.map { frame in
            var out = [Int16](repeating: 0, count: frame.count)
            out.withUnsafeMutableBufferPointer { out in frame.withUnsafeBufferPointer { suppressor.process($0, into: out) } }
            return out
        }
    }

    @Test func steadyNoiseIsTakenDownAndALouderBurstAfterItComesThrough() {
        var seed: UInt64 = 7
        guard var suppressor = NoiseSuppressor(level: .aggressive) else {
            Issue.record("WebRTC's noise suppressor could not be created")
            return
        }
        // Two seconds of steady noise, at about -30 dBFS: once the estimate has settled, far less of it is left.
        let steady = Self.noise(frames: 100, level: 1_000, seed: &seed)
        let out = Self.run(&suppressor, steady)
        let before = Self.rms(steady.suffix(50)), after = Self.rms(out.suffix(50))
        #expect(after < before / 3, "noise RMS \(before) -> \(after)")
        // A burst 20 dB over the noise is not the noise it learnt: most of it passes.
        let burst = Self.noise(frames: 10, level: 10_000, seed: &seed)
        let passed = Self.run(&suppressor, burst)
        #expect(Self.rms(passed) > Self.rms(burst) / 2, "burst RMS \(Self.rms(burst)) -> \(Self.rms(passed))")
    }

    @Test func silenceStaysSilentAndEveryLevelIsAvailable() {
        for level in NoiseSuppressionLevel.allCases {
            guard var suppressor = NoiseSuppressor(level: level) else {
                Issue.record("no suppressor at \(level.rawValue)")
                continue
            }
            let silent = [[Int16]](repeating: [Int16](repeating: 0, count: AnalysisFrame.sampleCount), count: 20)
            #expect(Self.run(&suppressor, silent).allSatisfy { $0.allSatisfy { $0 == 0 } })
        }
    }
}

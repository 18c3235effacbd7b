import CWebRTCNoiseSuppression

/// WebRTC's noise suppressor over one channel of 16 kHz audio: what a recognizer hears on a noisy line instead of
/// the raw frame.
///
/// `SpeechRecognizer` runs it on every frame, speech or not, while the line is noisy, since its noise estimate
/// follows the pauses; the VAD and the recording keep the raw audio. Two 10 ms halves per 20 ms frame, through
/// buffers made once: nothing is allocated per frame. `docs/recognizer.md` has what it does to the word error
/// rate and what it costs.
struct NoiseSuppressor: ~Copyable, @unchecked Sendable {
    typealias Level = NoiseSuppressionLevel

    // Sendable although this is a pointer, as with the VAD: the suppressor is non-copyable, so it is the instance's
    // one owner, and an NsHandle is plain memory with no thread affinity.
    private let handle: OpaquePointer
    private var input: [Float]
    private var output: [Float]
    private static let halfLength = AnalysisFrame.sampleCount / 2

    /// A suppressor at `level`; nil when WebRTC cannot allocate or accept it.
    init?(level: Level) {
        guard let handle = WebRtcNs_Create() else { return nil }
        guard WebRtcNs_Init(handle, UInt32(AnalysisFrame.sampleRate)) == 0, WebRtcNs_set_policy(handle, level.policy) == 0 else {
            WebRtcNs_Free(handle)
            return nil
        }
        self.handle = handle
        input = [Float](repeating: 0, count: Self.halfLength)
        output = [Float](repeating: 0, count: Self.halfLength)
    }

    deinit {
        WebRtcNs_Free(handle)
    }

    /// Writes `frame` (one 20 ms frame) with its noise suppressed to `out`, which holds as many samples.
    mutating func process(_ frame: UnsafeBufferPointer<Int16>, into out: UnsafeMutableBufferPointer<Int16>) {
        precondition(frame.count == AnalysisFrame.sampleCount && out.count == frame.count)
        let handle = self.handle
        input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                for half in 0..<2 {
                    let base = half * Self.halfLength
                    for index in 0..<Self.halfLength { input[index] = Float(frame[base + index]) }
                    WebRtcNs_Analyze(handle, input.baseAddress)
                    let source: UnsafePointer<Float>? = UnsafePointer(input.baseAddress)
                    let target: UnsafeMutablePointer<Float>? = output.baseAddress
                    withUnsafePointer(to: source) { source in
                        withUnsafePointer(to: target) { target in WebRtcNs_Process(handle, source, 1, target) }
                    }
                    for index in 0..<Self.halfLength { out[base + index] = Self.sample(output[index]) }
                }
            }
        }
    }

    private static func sample(_ value: Float) -> Int16 {
        guard value.isFinite else { return 0 }
        return Int16(value.rounded().clamped(to: -32768...32767))
    }
}

/// How hard WebRTC's noise suppressor works on what a recognizer hears.
public enum NoiseSuppressionLevel: String, Sendable, Equatable, CaseIterable {
    case mild, medium, aggressive

    /// WebRTC's policy number for the level.
    var policy: Int32 {
        switch self {
        case .mild: 0
        case .medium: 1
        case .aggressive: 2
        }
    }
}

private extension Float {
    func clamped(to range: ClosedRange<Float>) -> Float { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}

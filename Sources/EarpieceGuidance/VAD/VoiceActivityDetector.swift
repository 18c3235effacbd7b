import CWebRTCVAD

/// Decides, one 20 ms frame of 16 kHz audio at a time, whether a channel holds speech (WebRTC's VAD, smoothed).
///
/// Dynamics count frames in a row (a pause over 1.5 s, an overlap of 1.5 s), so a single flipped frame
/// matters: a click read as speech ends a silence, a dropped frame splits an overlap in two. The raw decisions
/// are therefore smoothed (see `Configuration`): speech begins after `onsetFrames` raw speech frames in a row
/// and ends after `hangoverFrames` raw non-speech frames in a row.
///
/// The defaults (2 and 5) were chosen on the fixture calls and the kind of speech they stand for. WebRTC
/// already holds speech 60–100 ms past its end in mode 2, and on flite speech through Opus it drops no frame
/// inside an utterance, but real voices have longer closures and softer endings. Two frames to begin cost
/// 20 ms of onset and ignore lone clicks; five more frames of hangover bridge gaps up to about 200 ms in all.
/// The price is speech ending about 0.2 s late: frame agreement with the fixture timelines falls from
/// 99.7 % or more (raw) to 96–99.6 %, and a silence (so a `long_silence` hint) starts 0.2 s later, which a 10 s
/// threshold does not notice.
public struct VoiceActivityDetector: ~Copyable, @unchecked Sendable {
    /// The only sample rate the detector takes.
    public static let sampleRate = AnalysisFrame.sampleRate
    /// Samples in one frame: 20 ms at 16 kHz.
    public static let frameLength = AnalysisFrame.sampleCount

    /// How aggressive the raw detector is and how its decisions are smoothed.
    public struct Configuration: Sendable, Equatable {
        /// WebRTC's aggressiveness, 0 (calls most things speech) to 3 (calls the least speech).
        public var mode: Int
        /// Raw speech frames in a row needed to start speech; 2 ignores a single-frame click.
        public var onsetFrames: Int
        /// Raw non-speech frames in a row needed to end speech; bridges the gaps inside and between words.
        public var hangoverFrames: Int

        public init(mode: Int = 2, onsetFrames: Int = 2, hangoverFrames: Int = 5) {
            self.mode = min(3, max(0, mode))
            self.onsetFrames = max(1, onsetFrames)
            self.hangoverFrames = max(0, hangoverFrames)
        }
    }

    public let configuration: Configuration
    // The type is Sendable although this is a pointer: being non-copyable, the detector is the instance's one
    // owner, and a VadInst is plain memory with no thread affinity, so moving its owner to another task is safe.
    private let instance: OpaquePointer
    private var speechRun = 0
    private var silenceRun = 0
    private var inSpeech = false

    /// Creates a detector; throws when WebRTC cannot allocate or accept the configuration.
    public init(configuration: Configuration = Configuration()) throws(GuidanceError) {
        guard let instance = WebRtcVad_Create() else { throw .voiceActivityDetectorUnavailable("WebRtcVad_Create failed") }
        guard WebRtcVad_Init(instance) == 0, WebRtcVad_set_mode(instance, Int32(configuration.mode)) == 0 else {
            WebRtcVad_Free(instance)
            throw .voiceActivityDetectorUnavailable("WebRTC VAD refused mode \(configuration.mode)")
        }
        self.instance = instance
        self.configuration = configuration
    }

    deinit {
        WebRtcVad_Free(instance)
    }

    /// Classifies one frame of exactly `frameLength` samples; true while (smoothed) speech lasts.
    public mutating func isSpeech(_ frame: UnsafeBufferPointer<Int16>) -> Bool {
        precondition(frame.count == Self.frameLength, "a VAD frame is \(Self.frameLength) samples, not \(frame.count)")
        // -1 (an error) can only come from a wrong rate or length, both fixed here; count it as non-speech.
        let raw = frame.baseAddress.map { WebRtcVad_Process(instance, Int32(Self.sampleRate), $0, frame.count) == 1 } ?? false
        return smooth(raw)
    }

    /// Classifies one frame given as exactly `frameLength` samples of an array.
    public mutating func isSpeech(_ frame: ArraySlice<Int16>) -> Bool {
        frame.withUnsafeBufferPointer { isSpeech($0) }
    }

    private mutating func smooth(_ raw: Bool) -> Bool {
        if raw {
            speechRun += 1
            silenceRun = 0
            if speechRun >= configuration.onsetFrames { inSpeech = true }
        } else {
            silenceRun += 1
            speechRun = 0
            if silenceRun > configuration.hangoverFrames { inSpeech = false }
        }
        return inSpeech
    }
}

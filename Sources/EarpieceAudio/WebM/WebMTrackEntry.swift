/// The fields of one Matroska TrackEntry the demuxer needs, gathered while its children stream past.
struct WebMTrackEntry: Equatable {
    var trackNumber: UInt64?
    var trackType: UInt64?
    var codecID: String?
    var codecPrivate: [UInt8]?
    /// The codec's built-in delay in nanoseconds; for Opus, the pre-skip.
    var codecDelay: UInt64?
    var channels: UInt64?
    /// Whether the track declares compression or encryption, which would change the frames' bytes.
    var hasContentEncodings = false

    /// Matroska TrackType for audio.
    static let audioType: UInt64 = 2
    static let opusCodecID = "A_OPUS"

    /// Whether this is an Opus audio track (a missing TrackType is taken as audio, to be lenient).
    var isOpusAudio: Bool {
        codecID == Self.opusCodecID && (trackType == nil || trackType == Self.audioType)
    }

    /// A short description for errors, e.g. "track 2 (V_VP8, video)".
    var summary: String {
        let number = trackNumber.map { "track \($0)" } ?? "a track"
        let kind: String
        switch trackType {
        case 1: kind = "video"
        case 2: kind = "audio"
        case 17: kind = "subtitle"
        case let other?: kind = "type \(other)"
        case nil: kind = "no type"
        }
        return "\(number) (\(codecID ?? "no CodecID"), \(kind))"
    }

    /// The longest CodecDelay an Opus track can mean: a pre-skip of 65 535 samples at 48 kHz, in nanoseconds.
    static let maxCodecDelayNanos: UInt64 = 65_535 * 1_000_000_000 / 48_000

    /// CodecDelay in nanoseconds (0 when absent), checked to be one an Opus pre-skip can hold.
    func checkedCodecDelay() throws(AudioFormatError) -> Int64 {
        let delay = codecDelay ?? 0
        guard delay <= Self.maxCodecDelayNanos else {
            throw .malformed(.webm, "CodecDelay of \(delay) ns is longer than an Opus pre-skip can be")
        }
        return Int64(delay)
    }

    /// The Opus identification header: CodecPrivate when present, else one built from Channels and CodecDelay.
    func opusHead() throws(AudioFormatError) -> OpusHead {
        guard !hasContentEncodings else {
            throw .unsupported(.webm, "the Opus track is compressed or encrypted (ContentEncodings)")
        }
        if let codecPrivate {
            return try OpusHead(parsing: codecPrivate, container: .webm)
        }
        // Chrome and ffmpeg always write CodecPrivate; without it, fall back to what the track says elsewhere.
        let channelCount = channels ?? 1
        guard channelCount == 1 || channelCount == 2 else {
            throw .unsupported(.webm, "an Opus track with \(channelCount) channels (only mono or stereo)")
        }
        // CodecDelay is in nanoseconds, pre-skip in 48 kHz samples; the check above keeps this small.
        let preSkip = try checkedCodecDelay() * 48_000 / 1_000_000_000
        return OpusHead(channelCount: Int(channelCount), preSkip: Int(preSkip))
    }
}

import EarpieceAudio

/// Why a call's summary could not be computed.
public enum SummaryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Summaries cover mono and stereo calls only.
    case unsupportedChannelCount(Int)
    /// The recognizer pool lent no transcript decoder: it is at capacity.
    case noDecoderAvailable
    /// The recognizer could not start.
    case recognizer(RecognizerError)
    /// The voice activity detector could not start.
    case voiceActivityDetector(GuidanceError)
    /// The recording's audio could not be read.
    case audio(AudioFormatError)
    /// The caller asked the analysis to stop (its job's lease was lost, or the worker is shutting down).
    case stopped

    public var description: String {
        switch self {
        case .unsupportedChannelCount(let count): "\(count) channels; summaries cover mono and stereo calls"
        case .noDecoderAvailable: "no transcript decoder is free; retry the summary when a call ends"
        case .recognizer(let error): error.description
        case .voiceActivityDetector(let error): error.description
        case .audio(let error): "the recording cannot be decoded: \(error.description)"
        case .stopped: "the analysis was stopped before it finished"
        }
    }
}

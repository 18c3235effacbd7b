/// Why a guidance loop could not be created.
public enum GuidanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The loop analyses mono or stereo calls only.
    case unsupportedChannelCount(Int)
    /// WebRTC's voice activity detector could not be created or configured.
    case voiceActivityDetectorUnavailable(String)

    public var description: String {
        switch self {
        case .unsupportedChannelCount(let count): "\(count) channels; guidance analyses mono or stereo calls"
        case .voiceActivityDetectorUnavailable(let reason): "voice activity detection is unavailable: \(reason)"
        }
    }
}

/// Why a stream of audio from outside was refused: each case names the container and what was wrong.
///
/// Every parser in this module throws only this type, so a caller (the gateway) can map any of them to one
/// close code and pass `description` on to the client as the reason.
public enum AudioFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes do not follow the container's grammar.
    case malformed(AudioContainer, String)
    /// An element, page, lacing run or packet is bigger than Earpiece accepts.
    case tooLarge(AudioContainer, what: String, size: Int, limit: Int)
    /// Valid for the container, but not something Earpiece handles (another codec, a video track, …).
    case unsupported(AudioContainer, String)
    /// The input ended inside a page, element or frame.
    case truncated(AudioContainer, String)
    /// A checksum did not match.
    case checksumMismatch(AudioContainer, String)
    /// An Opus packet that RFC 6716 does not allow, or that libopus refused.
    case invalidOpusPacket(String)
    /// The first bytes match none of the containers Earpiece reads.
    case unrecognizedFormat

    public var description: String {
        switch self {
        case .malformed(let container, let reason):
            return "malformed \(container.rawValue) input: \(reason)"
        case .tooLarge(let container, let what, let size, let limit):
            return "\(container.rawValue) \(what) of \(size) bytes exceeds the limit of \(limit) bytes"
        case .unsupported(let container, let reason):
            return "unsupported \(container.rawValue) input: \(reason)"
        case .truncated(let container, let reason):
            return "truncated \(container.rawValue) input: \(reason)"
        case .checksumMismatch(let container, let reason):
            return "\(container.rawValue) checksum mismatch: \(reason)"
        case .invalidOpusPacket(let reason):
            return "invalid Opus packet: \(reason)"
        case .unrecognizedFormat:
            return "unrecognized audio format: expected raw Earpiece frames, Ogg (\"OggS\") or WebM (1A 45 DF A3)"
        }
    }
}

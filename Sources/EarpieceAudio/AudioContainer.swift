/// The ways a client can carry Opus packets to Earpiece.
public enum AudioContainer: String, Sendable, Equatable, CaseIterable {
    /// One Opus packet per message behind Earpiece's own header (see `docs/protocol.md`).
    case raw
    /// Ogg Opus (RFC 7845).
    case ogg
    /// WebM with one Opus track, as Chrome's MediaRecorder writes it.
    case webm
    /// Not a container: the Opus packets themselves.
    case opus

    /// The container the first bytes of a stream announce.
    ///
    /// Returns `nil` while too few bytes have arrived to tell; throws when they can only be something else.
    public static func sniff(_ prefix: some Collection<UInt8>) throws(AudioFormatError) -> AudioContainer? {
        for (container, magic) in signatures {
            if prefix.starts(with: magic) { return container }
        }
        for (_, magic) in signatures where prefix.count < magic.count && magic.starts(with: prefix) {
            return nil
        }
        throw .unrecognizedFormat
    }

    private static let signatures: [(AudioContainer, [UInt8])] = [
        (.raw, RawPacketFrame.magic),
        (.ogg, Array("OggS".utf8)),
        (.webm, [0x1A, 0x45, 0xDF, 0xA3]),
    ]
}

/// Who a hint or a measurement is about: in stereo, channel 0 is the rep and channel 1 the customer; a mono
/// call mixes both, so its only speaker is `unknown`. Dictionaries keyed by speaker encode as JSON objects.
public enum Speaker: String, Sendable, Codable, CodingKeyRepresentable, CaseIterable {
    case rep
    case customer
    case unknown

    /// The speaker heard on each channel of a call with `channelCount` channels.
    public static func byChannel(channelCount: Int) -> [Speaker] {
        channelCount == 2 ? [.rep, .customer] : [.unknown]
    }
}

import EarpieceAudio

/// The `container` a client asked for: one of the containers, or `auto` to sniff the first bytes.
public enum AudioContainerChoice: String, Sendable, Equatable, CaseIterable {
    case auto, raw, ogg, webm
}

/// Which channels hold speech in one 20 ms frame, or that the frame went unanalysed.
///
/// A frame is unanalysed when the gateway fell behind real time and skipped voice detection for it: its time
/// counts, but it says nothing about who spoke.
public struct SpeechActivity: Sendable, Equatable {
    /// Bit `n` set: channel `n` holds speech.
    public private(set) var channelMask: UInt8
    /// False for a frame whose audio was not analysed.
    public let isAnalysed: Bool

    /// An analysed frame in which nobody speaks.
    public static let silence = SpeechActivity(channelMask: 0, isAnalysed: true)
    /// A frame whose audio was skipped.
    public static let unanalysed = SpeechActivity(channelMask: 0, isAnalysed: false)

    private init(channelMask: UInt8, isAnalysed: Bool) {
        self.channelMask = channelMask
        self.isAnalysed = isAnalysed
    }

    /// An analysed frame; `speaking[n]` tells whether channel `n` holds speech.
    public init(speaking: Bool...) {
        self = .silence
        for (channel, isSpeaking) in speaking.enumerated() where isSpeaking { markSpeaking(channel: channel) }
    }

    /// Records speech on `channel` (0 or 1).
    public mutating func markSpeaking(channel: Int) {
        precondition(isAnalysed && (0..<8).contains(channel), "only an analysed frame's channels 0…7 can hold speech")
        channelMask |= 1 << UInt8(channel)
    }

    /// True when `channel` holds speech.
    public func isSpeaking(channel: Int) -> Bool {
        (0..<8).contains(channel) && channelMask & (1 << UInt8(channel)) != 0
    }

    /// True when any channel holds speech.
    public var anyoneSpeaking: Bool { channelMask != 0 }
}

import EarpieceAudio
import EarpieceGuidance

/// How one call session runs; the server fills it from its configuration, replay from its flags.
public struct CallSessionConfiguration: Sendable {
    /// What to do when guidance can't keep up with the audio.
    public enum Pacing: Sendable, Equatable {
        /// A live call: never wait; skip guidance for audio that waited too long or doesn't fit the queue, and
        /// drop the oldest `dynamics` messages for a client that doesn't read.
        case realtime
        /// A replay: wait for guidance and for the reader, so that every frame is analysed.
        case lossless
    }

    public var pacing: Pacing
    public var limits: AudioInputLimits
    /// The largest binary or text message accepted.
    public var maxMessageBytes: Int
    /// A stream with no audio and no keepalive for this long is closed.
    public var idleTimeout: Duration
    /// The most audio that may wait for guidance; what arrives while the queue is full is not analysed.
    public var guidanceQueueMilliseconds: Int
    /// How long audio may wait for guidance before it is skipped: past this, hints would come too late to help.
    public var maxGuidanceLag: Duration
    /// Messages that may wait for a slow client.
    public var outboxCapacity: Int
    /// How often the recording is sealed, synced and acknowledged; at most a second, so that a crash or a
    /// dropped connection costs the client at most this much resending.
    public var recordingFlushInterval: Duration
    public var guidance: GuidanceConfiguration
    /// Whether `transcript` messages are sent: only to tokens with the scope `transcript:read`.
    public var sendsTranscripts: Bool

    public init(
        pacing: Pacing = .realtime,
        limits: AudioInputLimits = .default,
        maxMessageBytes: Int = 64 * 1024,
        idleTimeout: Duration = .seconds(15),
        guidanceQueueMilliseconds: Int = 600_000,
        maxGuidanceLag: Duration = .seconds(2),
        outboxCapacity: Int = 256,
        recordingFlushInterval: Duration = .milliseconds(500),
        guidance: GuidanceConfiguration = .init(),
        sendsTranscripts: Bool = false
    ) {
        self.pacing = pacing
        self.limits = limits
        self.maxMessageBytes = maxMessageBytes
        self.idleTimeout = idleTimeout
        self.guidanceQueueMilliseconds = guidanceQueueMilliseconds
        self.maxGuidanceLag = maxGuidanceLag
        self.outboxCapacity = outboxCapacity
        self.recordingFlushInterval = recordingFlushInterval
        self.guidance = guidance
        self.sendsTranscripts = sendsTranscripts
    }
}

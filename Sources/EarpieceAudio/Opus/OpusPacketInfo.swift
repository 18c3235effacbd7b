/// What an Opus packet's TOC byte and frame-count byte say (RFC 6716 §3.1–3.2), without decoding it.
public struct OpusPacketInfo: Sendable, Equatable {
    /// The TOC configuration, 0…31: mode, bandwidth and frame size.
    public var configuration: Int
    /// Whether the packet's frames are coded as stereo.
    public var isStereo: Bool
    /// How many frames the packet holds (1…48).
    public var frameCount: Int
    /// The duration of one frame in samples at 48 kHz (120 = 2.5 ms … 2880 = 60 ms).
    public var samplesPerFrame: Int

    /// The packet's duration in samples at 48 kHz.
    public var sampleCount: Int { frameCount * samplesPerFrame }

    /// The longest audio one packet may carry: 120 ms at 48 kHz.
    public static let maxSampleCount = 5760

    /// Reads the TOC of `packet` and checks the framing rules of RFC 6716 §3.2 that bound its size.
    public init(packet: some Collection<UInt8>) throws(AudioFormatError) {
        try self.init(reading: packet)
    }

    /// The same for an array, as intake calls it once per packet: specialised here, where the generic called
    /// from another module ran unspecialised and allocated.
    public init(packet: [UInt8]) throws(AudioFormatError) {
        try self.init(reading: packet)
    }

    private init(reading packet: some Collection<UInt8>) throws(AudioFormatError) {
        guard let toc = packet.first else {
            throw .invalidOpusPacket("a packet must hold at least its TOC byte")
        }
        configuration = Int(toc >> 3)
        isStereo = toc & 0x04 != 0
        samplesPerFrame = Self.samplesPerFrame(configuration: configuration)
        switch toc & 0x03 {
        case 0:
            frameCount = 1
        case 1:
            guard (packet.count - 1) % 2 == 0 else {
                throw .invalidOpusPacket("code 1 packets need two frames of equal size (odd payload of \(packet.count - 1) bytes)")
            }
            frameCount = 2
        case 2:
            guard packet.count >= 2 else {
                throw .invalidOpusPacket("code 2 packet ends before the first frame's length")
            }
            frameCount = 2
        default:
            guard packet.count >= 2 else {
                throw .invalidOpusPacket("code 3 packet ends before its frame count byte")
            }
            let count = Int(packet[packet.index(after: packet.startIndex)] & 0x3F)
            guard count > 0 else {
                throw .invalidOpusPacket("code 3 packet declares zero frames")
            }
            frameCount = count
        }
        guard sampleCount <= Self.maxSampleCount else {
            throw .invalidOpusPacket("packet lasts \(sampleCount / 48) ms; Opus allows at most 120 ms")
        }
    }

    /// Frame duration in samples at 48 kHz for a TOC configuration (RFC 6716 Table 2).
    public static func samplesPerFrame(configuration: Int) -> Int {
        switch configuration {
        case 0...11:  // SILK: 10, 20, 40, 60 ms
            return [480, 960, 1920, 2880][configuration % 4]
        case 12...15:  // hybrid: 10, 20 ms
            return [480, 960][configuration % 2]
        default:  // CELT: 2.5, 5, 10, 20 ms
            return [120, 240, 480, 960][configuration % 4]
        }
    }
}

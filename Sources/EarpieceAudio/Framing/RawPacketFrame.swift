/// One binary WebSocket message of Earpiece's raw framing: a 16-byte header and one Opus packet.
///
/// The layout is specified in `docs/protocol.md` ("Raw frames"); all integers are big-endian.
///
///     0      2        3      4          8                  16
///     | "EP" | version | flags | sequence | capture time µs  | Opus packet …
public struct RawPacketFrame: Sendable, Equatable {
    /// The sender's packet counter, increasing by one per packet; a jump means packets were lost.
    public var sequence: UInt32
    /// When the packet's first sample was captured, in microseconds (WebCodecs' `EncodedAudioChunk.timestamp`).
    public var captureTimeMicros: UInt64
    /// The Opus packet.
    public var packet: [UInt8]

    public static let magic: [UInt8] = [0x45, 0x50]  // "EP"
    public static let version: UInt8 = 1
    public static let headerSize = 16

    public init(sequence: UInt32, captureTimeMicros: UInt64, packet: [UInt8]) {
        self.sequence = sequence
        self.captureTimeMicros = captureTimeMicros
        self.packet = packet
    }

    /// Parses one message; the whole message is one frame.
    public init(parsing message: some Collection<UInt8>, limits: AudioInputLimits = .default) throws(AudioFormatError) {
        let bytes = Array(message)
        guard bytes.count >= Self.headerSize else {
            throw .truncated(.raw, "a frame needs a \(Self.headerSize)-byte header, got \(bytes.count) bytes")
        }
        guard bytes[0] == Self.magic[0], bytes[1] == Self.magic[1] else {
            throw .malformed(.raw, "frame does not start with \"EP\"")
        }
        guard bytes[2] == Self.version else {
            throw .unsupported(.raw, "frame version \(bytes[2]) (this server speaks version \(Self.version))")
        }
        guard bytes[3] == 0 else {
            throw .malformed(.raw, "reserved flags byte is \(bytes[3]), must be 0")
        }
        let packetSize = bytes.count - Self.headerSize
        guard packetSize > 0 else {
            throw .invalidOpusPacket("frame \(Self.readUInt32(bytes, at: 4)) carries an empty packet")
        }
        guard packetSize <= limits.maxPacketBytes else {
            throw .tooLarge(.raw, what: "packet", size: packetSize, limit: limits.maxPacketBytes)
        }
        sequence = Self.readUInt32(bytes, at: 4)
        captureTimeMicros = UInt64(Self.readUInt32(bytes, at: 8)) << 32 | UInt64(Self.readUInt32(bytes, at: 12))
        packet = Array(bytes[Self.headerSize...])
    }

    /// The message bytes for this frame.
    public var serialized: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.headerSize + packet.count)
        out.append(contentsOf: Self.magic)
        out.append(Self.version)
        out.append(0)
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: sequence >> UInt32(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: captureTimeMicros >> UInt64(shift))) }
        out.append(contentsOf: packet)
        return out
    }

    /// The frame as a demuxed packet.
    public var streamPacket: OpusStreamPacket {
        OpusStreamPacket(data: packet, sequence: UInt64(sequence), timestampMicros: Int64(clamping: captureTimeMicros))
    }

    private static func readUInt32(_ b: [UInt8], at i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
}

import EarpieceAudio

/// The first stage of a call: binary messages in, Opus packets out, in order, without duplicates.
///
/// It owns the demuxer (raw frames, or an Ogg or WebM byte stream), drops packets the client sent twice
/// (a resend after a reconnect), and counts what was lost. It runs on the task that reads the socket, so it
/// does only cheap work: parsing, never decoding.
struct CallIntake {
    private enum Demuxing {
        case undecided
        case raw
        case stream(any OpusStreamDemuxer)
    }

    let choice: AudioContainerChoice
    let requestedChannels: Int
    let limits: AudioInputLimits
    private var demuxing: Demuxing = .undecided
    private var lastSequence: UInt64?
    private(set) var packets: UInt64 = 0
    private(set) var lostPackets: UInt64 = 0
    private(set) var duplicatePackets: UInt64 = 0

    /// On a resumed call, the last raw-frame sequence number already stored: frames up to it are resends.
    let resumedAfter: UInt64?

    init(choice: AudioContainerChoice, requestedChannels: Int, limits: AudioInputLimits, resumedAfter: UInt64? = nil) {
        self.choice = choice
        self.requestedChannels = requestedChannels
        self.limits = limits
        self.resumedAfter = resumedAfter
    }

    /// The stream's format once known: from OpusHead for Ogg and WebM, from the request for raw frames.
    var head: OpusHead? {
        switch demuxing {
        case .undecided: nil
        case .raw: OpusHead(channelCount: requestedChannels, preSkip: 0)
        case .stream(let demuxer): demuxer.head
        }
    }

    /// Parses one binary message and returns the new packets it completed, with their durations.
    mutating func accept(_ message: [UInt8]) throws(AudioFormatError) -> [(packet: OpusStreamPacket, samples: Int)] {
        if case .undecided = demuxing {
            demuxing = try Self.demuxing(for: choice, firstMessage: message, limits: limits)
            // Only raw frames carry the client's own sequence numbers; Ogg and WebM packets are counted per
            // connection, so a resumed container stream is new audio, appended after what is stored.
            if case .raw = demuxing, let resumedAfter { lastSequence = resumedAfter }
        }
        var found: [OpusStreamPacket]
        switch demuxing {
        case .undecided:
            return []
        case .raw:
            found = [try RawPacketFrame(parsing: message, limits: limits).streamPacket]
        case .stream(var demuxer):
            // Moved out while it works, so that its buffers are not copied on write.
            demuxing = .undecided
            defer { demuxing = .stream(demuxer) }
            found = try demuxer.push(message)
        }
        var accepted: [(packet: OpusStreamPacket, samples: Int)] = []
        accepted.reserveCapacity(found.count)
        for packet in found {
            if let last = lastSequence, packet.sequence <= last {
                duplicatePackets += 1
                continue
            }
            let info = try OpusPacketInfo(packet: packet.data)
            if let last = lastSequence { lostPackets += packet.sequence - last - 1 }
            lastSequence = packet.sequence
            packets += 1
            accepted.append((packet, info.sampleCount))
        }
        return accepted
    }

    /// The client is done sending: a byte stream that ends inside a page or element is an error.
    mutating func finish() throws(AudioFormatError) {
        guard case .stream(var demuxer) = demuxing else { return }
        demuxing = .undecided
        defer { demuxing = .stream(demuxer) }
        try demuxer.finish()
    }

    private static func demuxing(for choice: AudioContainerChoice, firstMessage: [UInt8], limits: AudioInputLimits) throws(AudioFormatError) -> Demuxing {
        switch choice {
        case .raw: return .raw
        case .ogg: return .stream(OggOpusReader(limits: limits))
        case .webm: return .stream(WebMOpusDemuxer(limits: limits))
        case .auto:
            // Raw frames are whole messages, so the first message alone tells; byte streams may need more.
            if firstMessage.starts(with: RawPacketFrame.magic) { return .raw }
            return .stream(SniffingDemuxer(limits: limits))
        }
    }
}

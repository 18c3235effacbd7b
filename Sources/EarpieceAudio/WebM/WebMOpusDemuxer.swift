/// Reads the Opus packets out of an audio WebM stream, as Chrome's MediaRecorder and ffmpeg write it.
///
/// Bytes may arrive split anywhere. The demuxer keeps only the element header or leaf element it is in the
/// middle of (at most `limits.maxElementBytes`); masters (Segment, Cluster, Tracks, …) are entered rather
/// than buffered, and elements it has no use for are streamed past. Segment and Cluster may have an unknown
/// size, which is how a live recorder writes them. The first Opus audio track is read; blocks of other tracks
/// are skipped.
public struct WebMOpusDemuxer: OpusStreamDemuxer {
    /// The Opus track's identification header, once the Tracks element has been read.
    public private(set) var head: OpusHead?

    private let limits: AudioInputLimits
    private var reader = WebMElementReader()
    private var failure: AudioFormatError?

    private var sawEBMLHeader = false
    private var sawDocType = false
    private var sawSegment = false
    private var timestampScale: UInt64 = 1_000_000
    private var pendingTrack = WebMTrackEntry()
    /// Tracks passed over, described for the error when no Opus track turns up.
    private var otherTracks: [String] = []
    private var opusTrackNumber: UInt64?
    /// The Opus track's CodecDelay in nanoseconds, which RFC 9559 says to subtract from every block's time.
    private var codecDelayNanos: Int64 = 0
    private var clusterTimestamp: UInt64?
    private var nextSequence: UInt64 = 0

    /// Bytes to peek at in a block too big to buffer: enough for any track number VINT.
    private static let blockTrackPeekBytes = 8

    /// Creates a demuxer that enforces `limits`.
    public init(limits: AudioInputLimits = .default) {
        self.limits = limits
    }

    /// Feeds the next bytes of the stream and returns the Opus packets they completed, in stream order.
    public mutating func push(_ bytes: [UInt8]) throws(AudioFormatError) -> [OpusStreamPacket] {
        if let failure { throw failure }
        reader.append(bytes)
        var packets: [OpusStreamPacket] = []
        do throws(AudioFormatError) {
            while let event = try reader.next() {
                try handle(event, into: &packets)
            }
        } catch {
            fail(error)
            throw error
        }
        // Keep only the unfinished element, so the buffer never outgrows it and the latest push.
        reader.compact()
        return packets
    }

    /// Declares the input finished; throws if it ended inside an element or before the Opus track header.
    ///
    /// An unknown-sized Segment or Cluster still open at the end is fine: that is how a live recording stops.
    public mutating func finish() throws(AudioFormatError) {
        if let failure { throw failure }
        let error: AudioFormatError
        if !reader.hasInput {
            error = .truncated(.webm, "the stream ended before the EBML header")
        } else if let reason = reader.unfinishedReason {
            error = .truncated(.webm, reason)
        } else if head == nil {
            error = .truncated(.webm, "the stream ended before an Opus track header")
        } else {
            return
        }
        fail(error)
        throw error
    }

    private mutating func fail(_ error: AudioFormatError) {
        failure = error
        reader = WebMElementReader()  // release the buffer
    }

    private mutating func handle(_ event: WebMElementReader.Event, into packets: inout [OpusStreamPacket]) throws(AudioFormatError) {
        switch event {
        case .start(let header):
            try start(header)
        case .leaf(let id, let range):
            try readLeaf(id, range, into: &packets)
        case .peeked(let id, let size, let range):
            // A block too big to buffer may still be another track's: skip it if so.
            guard let track = try EBMLVarInt.decode(reader.buffer, at: range.lowerBound, end: range.upperBound, what: "a block's track number") else {
                throw .malformed(.webm, "a block ends inside its track number")
            }
            guard track.value != opusTrackNumber else {
                throw .tooLarge(.webm, what: "\(WebMElementID.name(id)) element", size: size, limit: limits.maxElementBytes)
            }
        case .end(let id):
            try close(id)
        }
    }

    // MARK: - What each element means

    /// Decides what to do with an element from its ID and parent: enter it, read it, or skip it.
    private mutating func start(_ header: EBMLElementHeader) throws(AudioFormatError) {
        typealias ID = WebMElementID
        let id = header.id
        guard let parent = reader.parent else {
            return try startTopLevel(header)
        }
        switch (parent, id) {
        case (ID.ebml, ID.docType),
             (ID.info, ID.timestampScale),
             (ID.trackEntry, ID.trackNumber), (ID.trackEntry, ID.trackType), (ID.trackEntry, ID.codecID),
             (ID.trackEntry, ID.codecPrivate), (ID.trackEntry, ID.codecDelay),
             (ID.audio, ID.channels),
             (ID.cluster, ID.timestamp):
            // A leaf we must hold in memory is refused by size before anything else, whatever its parent.
            if let size = header.size, size > limits.maxElementBytes {
                throw .tooLarge(.webm, what: "\(ID.name(id)) element", size: size, limit: limits.maxElementBytes)
            }
            try reader.read(header)
        case (ID.segment, ID.tracks) where opusTrackNumber == nil, (ID.segment, ID.info), (ID.segment, ID.cluster),
             (ID.tracks, ID.trackEntry), (ID.trackEntry, ID.audio), (ID.cluster, ID.blockGroup):
            // Only the first Tracks counts: a stream that repeats it does not get to change the track.
            try open(header)
        case (ID.cluster, ID.simpleBlock), (ID.blockGroup, ID.block):
            guard opusTrackNumber != nil else {
                throw .malformed(.webm, "a \(ID.name(id)) arrived before the Tracks element")
            }
            if let size = header.size, size > limits.maxElementBytes {
                try reader.peek(header, count: Self.blockTrackPeekBytes)
            } else {
                try reader.read(header)
            }
        case (ID.trackEntry, ID.contentEncodings):
            // Its contents don't matter: that it is there is enough to refuse the track.
            pendingTrack.hasContentEncodings = true
            try reader.skip(header)
        default:
            // SeekHead, Cues, Tags, Void, CRC-32 and anything unknown: nothing Earpiece needs.
            try reader.skip(header)
        }
    }

    private mutating func startTopLevel(_ header: EBMLElementHeader) throws(AudioFormatError) {
        guard sawEBMLHeader else {
            guard header.id == WebMElementID.ebml else {
                throw .malformed(.webm, "the stream starts with \(WebMElementID.name(header.id)), not an EBML header")
            }
            return try open(header)
        }
        switch header.id {
        case WebMElementID.segment:
            guard !sawSegment else {
                throw .unsupported(.webm, "a second Segment (only one per stream is supported)")
            }
            try open(header)
        case WebMElementID.ebml:
            throw .unsupported(.webm, "a second EBML document (chained WebM streams are not supported)")
        case WebMElementID.void:
            try reader.skip(header)
        default:
            throw .malformed(.webm, "unexpected \(WebMElementID.name(header.id)) at the top level")
        }
    }

    private mutating func open(_ header: EBMLElementHeader) throws(AudioFormatError) {
        try reader.enter(header)
        switch header.id {
        case WebMElementID.ebml: sawEBMLHeader = true
        case WebMElementID.segment: sawSegment = true
        case WebMElementID.trackEntry: pendingTrack = WebMTrackEntry()
        case WebMElementID.cluster: clusterTimestamp = nil
        default: break
        }
    }

    private mutating func close(_ id: UInt32) throws(AudioFormatError) {
        switch id {
        case WebMElementID.ebml:
            guard sawDocType else { throw .malformed(.webm, "the EBML header has no DocType") }
        case WebMElementID.trackEntry:
            try chooseTrack(pendingTrack)
        case WebMElementID.tracks:
            guard opusTrackNumber != nil else {
                let found = otherTracks.isEmpty ? "no tracks" : otherTracks.joined(separator: ", ")
                throw .unsupported(.webm, "no Opus audio track (found \(found))")
            }
        case WebMElementID.cluster:
            clusterTimestamp = nil
        default:
            break
        }
    }

    private mutating func chooseTrack(_ track: WebMTrackEntry) throws(AudioFormatError) {
        guard opusTrackNumber == nil, track.isOpusAudio else {
            // Keep a few for the error message; a hostile stream may list thousands.
            if otherTracks.count < 4 { otherTracks.append(track.summary) }
            return
        }
        guard let number = track.trackNumber, number > 0 else {
            throw .malformed(.webm, "the Opus track has no TrackNumber")
        }
        head = try track.opusHead()
        codecDelayNanos = try track.checkedCodecDelay()
        opusTrackNumber = number
    }

    private mutating func readLeaf(
        _ id: UInt32, _ range: Range<Int>, into packets: inout [OpusStreamPacket]
    ) throws(AudioFormatError) {
        switch id {
        case WebMElementID.docType:
            let docType = string(range)
            guard docType == "webm" || docType == "matroska" else {
                throw .unsupported(.webm, "DocType \"\(docType.prefix(32))\" (expected webm or matroska)")
            }
            sawDocType = true
        case WebMElementID.timestampScale:
            let scale = try unsigned(id, range)
            // Real scales are 1 ms or finer; the cap keeps timestamp arithmetic far from overflow.
            guard scale > 0, scale <= UInt64(Int32.max) else {
                throw .malformed(.webm, "TimestampScale of \(scale) ns")
            }
            timestampScale = scale
        case WebMElementID.trackNumber: pendingTrack.trackNumber = try unsigned(id, range)
        case WebMElementID.trackType: pendingTrack.trackType = try unsigned(id, range)
        case WebMElementID.codecID: pendingTrack.codecID = string(range)
        case WebMElementID.codecPrivate: pendingTrack.codecPrivate = Array(reader.buffer[range])
        case WebMElementID.codecDelay: pendingTrack.codecDelay = try unsigned(id, range)
        case WebMElementID.channels: pendingTrack.channels = try unsigned(id, range)
        case WebMElementID.timestamp: clusterTimestamp = try unsigned(id, range)
        case WebMElementID.simpleBlock, WebMElementID.block: try readBlock(range, into: &packets)
        default: break
        }
    }

    private mutating func readBlock(_ range: Range<Int>, into packets: inout [OpusStreamPacket]) throws(AudioFormatError) {
        let block = try WebMBlock(parsing: reader.buffer, start: range.lowerBound, end: range.upperBound)
        guard block.trackNumber == opusTrackNumber else { return }  // another track's block
        guard let clusterTimestamp else {
            throw .malformed(.webm, "a block comes before its Cluster's Timestamp")
        }
        // (cluster + relative) ticks of TimestampScale ns each, checked: both come from the stream. Less the
        // CodecDelay (RFC 9559 §5.1.4.1.27), so that, as in Ogg, time 0 is the first sample after the pre-skip.
        guard clusterTimestamp <= UInt64(Int64.max >> 1) else {
            throw .malformed(.webm, "Cluster Timestamp \(clusterTimestamp) is out of range")
        }
        let ticks = Int64(clusterTimestamp) + Int64(block.relativeTimestamp)
        let (nanoseconds, overflow) = ticks.multipliedReportingOverflow(by: Int64(timestampScale))
        guard !overflow else {
            throw .malformed(.webm, "Cluster Timestamp \(clusterTimestamp) is out of range")
        }
        let blockMicros = (nanoseconds - codecDelayNanos) / 1000
        guard block.lacing != 0 else {
            // The common case (Chrome and ffmpeg don't lace Opus): one frame, no size table to build.
            emit(try block.unlacedFrame(limits: limits), micros: blockMicros, into: &packets)
            return
        }
        let frames = try block.lacedFrames(in: reader.buffer, limits: limits)
        var samplesBefore: Int64 = 0
        for index in frames.indices {
            // Laced frames follow each other: offset each by the Opus duration of those before it.
            let data = emit(frames[index], micros: blockMicros &+ samplesBefore &* 1000 / 48, into: &packets)
            if index < frames.count - 1 {
                samplesBefore &+= Int64(try OpusPacketInfo(packet: data).sampleCount)
            }
        }
    }

    @discardableResult
    private mutating func emit(_ range: Range<Int>, micros: Int64, into packets: inout [OpusStreamPacket]) -> [UInt8] {
        let data = Array(reader.buffer[range])
        packets.append(OpusStreamPacket(data: data, sequence: nextSequence, timestampMicros: micros))
        nextSequence &+= 1
        return data
    }

    /// An EBML unsigned integer: big-endian, 0 to 8 bytes.
    private func unsigned(_ id: UInt32, _ range: Range<Int>) throws(AudioFormatError) -> UInt64 {
        guard range.count <= 8 else {
            throw .malformed(.webm, "\(WebMElementID.name(id)) is \(range.count) bytes; an integer takes at most 8")
        }
        var value: UInt64 = 0
        for index in range { value = value << 8 | UInt64(reader.buffer[index]) }
        return value
    }

    /// An EBML string, which may be padded with trailing zero bytes.
    private func string(_ range: Range<Int>) -> String {
        let bytes = reader.buffer[range]
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

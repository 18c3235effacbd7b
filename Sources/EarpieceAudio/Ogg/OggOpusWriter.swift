/// Writes Opus packets as an Ogg Opus stream (RFC 7845), a page at a time.
///
/// The caller decides when pages end: `flush()` closes the current page (a recording flushes at least once a
/// second so that what it acknowledges is on disk), and the writer closes one itself when it holds
/// `maxPageSamples` of audio or its lacing table is full. Every method returns the bytes to append to the file.
public struct OggOpusWriter: Sendable {
    public let head: OpusHead
    public let serial: UInt32
    /// The granule position so far: 48 kHz samples of every packet written, pre-skip included.
    public private(set) var granulePosition: Int64 = 0
    /// Audio packets written so far.
    public private(set) var packetCount: UInt64 = 0

    private let vendor: String
    private let maxPageSamples: Int
    private var pageSequence: UInt32 = 0
    private var lacing: [UInt8] = []
    private var body: [UInt8] = []
    private var pageSamples = 0
    private var finished = false

    /// - Parameters:
    ///   - serial: the logical stream's serial number; give each file its own.
    ///   - maxPageSamples: audio per page before the writer closes it by itself (48,000 = 1 s).
    public init(head: OpusHead, serial: UInt32, vendor: String = "Earpiece", maxPageSamples: Int = 48_000) {
        self.head = head
        self.serial = serial
        self.vendor = vendor
        self.maxPageSamples = max(120, maxPageSamples)
    }

    /// The two header pages: OpusHead alone on the first, OpusTags on the second (RFC 7845 §3).
    public mutating func headerPages() -> [UInt8] {
        precondition(pageSequence == 0, "header pages are written once, first")
        var tags = Array("OpusTags".utf8)
        let vendorBytes = Array(vendor.utf8)
        tags.append(contentsOf: Self.littleEndian(UInt32(vendorBytes.count)))
        tags.append(contentsOf: vendorBytes)
        tags.append(contentsOf: Self.littleEndian(UInt32(0)))
        return page(packets: [head.serialized], granule: 0, flags: 0x02) + page(packets: [tags], granule: 0, flags: 0)
    }

    /// Adds one packet; returns a finished page when this packet filled one, else nothing.
    public mutating func append(_ packet: [UInt8]) throws(AudioFormatError) -> [UInt8] {
        precondition(!finished, "append after finish")
        let info = try OpusPacketInfo(packet: packet)
        guard packet.count < 255 * 255 else {
            throw .tooLarge(.ogg, what: "packet", size: packet.count, limit: 255 * 255 - 1)
        }
        var out: [UInt8] = []
        // A packet needs count/255 + 1 lacing values; a page holds 255 of them.
        if lacing.count + packet.count / 255 + 1 > 255 { out = flush() }
        var remaining = packet.count
        while remaining >= 255 {
            lacing.append(255)
            remaining -= 255
        }
        lacing.append(UInt8(remaining))
        body.append(contentsOf: packet)
        granulePosition += Int64(info.sampleCount)
        pageSamples += info.sampleCount
        packetCount += 1
        if pageSamples >= maxPageSamples { out += flush() }
        return out
    }

    /// Closes the current page, if it holds any packet.
    public mutating func flush() -> [UInt8] {
        guard !lacing.isEmpty else { return [] }
        return closePage(flags: 0)
    }

    /// Ends the stream with an end-of-stream page.
    ///
    /// `playbackSamples` (48 kHz, after pre-skip) trims the final packet's end when the source had fewer
    /// samples than whole packets hold; by default the stream plays every sample it was given.
    public mutating func finish(playbackSamples: Int64? = nil) -> [UInt8] {
        precondition(!finished, "finish called twice")
        finished = true
        if let playbackSamples {
            let trimmed = Int64(head.preSkip) + max(0, playbackSamples)
            // RFC 7845 §4.4: only the last page may end earlier than its packets do, and by less than one.
            granulePosition = min(granulePosition, max(trimmed, granulePosition - Int64(OpusPacketInfo.maxSampleCount)))
        }
        return closePage(flags: 0x04)
    }

    private mutating func closePage(flags: UInt8) -> [UInt8] {
        let out = Self.page(lacing: lacing, body: body, granule: granulePosition, flags: flags, serial: serial, sequence: pageSequence)
        pageSequence &+= 1
        lacing.removeAll(keepingCapacity: true)
        body.removeAll(keepingCapacity: true)
        pageSamples = 0
        return out
    }

    private mutating func page(packets: [[UInt8]], granule: Int64, flags: UInt8) -> [UInt8] {
        var lacing: [UInt8] = [], body: [UInt8] = []
        for packet in packets {
            lacing.append(contentsOf: [UInt8](repeating: 255, count: packet.count / 255))
            lacing.append(UInt8(packet.count % 255))
            body.append(contentsOf: packet)
        }
        let out = Self.page(lacing: lacing, body: body, granule: granule, flags: flags, serial: serial, sequence: pageSequence)
        pageSequence &+= 1
        return out
    }

    static func page(lacing: [UInt8], body: [UInt8], granule: Int64, flags: UInt8, serial: UInt32, sequence: UInt32) -> [UInt8] {
        var page = Array("OggS".utf8)
        page.reserveCapacity(27 + lacing.count + body.count)
        page.append(0)
        page.append(flags)
        page.append(contentsOf: littleEndian(UInt64(bitPattern: granule)))
        page.append(contentsOf: littleEndian(serial))
        page.append(contentsOf: littleEndian(sequence))
        page.append(contentsOf: [0, 0, 0, 0])
        page.append(UInt8(lacing.count))
        page.append(contentsOf: lacing)
        page.append(contentsOf: body)
        let crc = page.withUnsafeBufferPointer { OggCRC.pageChecksum($0) }
        page.replaceSubrange(22..<26, with: littleEndian(crc))
        return page
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}

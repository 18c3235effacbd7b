/// Reads an Ogg Opus stream (RFC 7845) incrementally: feed it bytes as they arrive, get Opus packets back.
///
/// It checks every page's CRC and sequence number, reassembles packets that span pages, reads OpusHead and
/// skips OpusTags, ignores other logical streams multiplexed beside the Opus one, and stamps each packet with
/// its start time derived from the granule positions. It buffers at most one page (65,307 bytes by the format)
/// plus one packet.
public struct OggOpusReader: OpusStreamDemuxer {
    public private(set) var head: OpusHead?
    /// The granule position (48 kHz samples, pre-skip included) of the last page that completed a packet.
    public private(set) var lastGranulePosition: Int64?
    /// Whether the Opus stream's end-of-stream page has been read.
    public private(set) var reachedEndOfStream = false
    /// Audio packets read so far.
    public private(set) var packetCount: UInt64 = 0

    /// How long the stream plays so far, in 48 kHz samples: the last granule position less pre-skip
    /// (RFC 7845 §4.3), which also accounts for samples trimmed from the end.
    public var playbackSampleCount: Int64? {
        guard let head, let granule = lastGranulePosition else { return nil }
        return max(0, granule - Int64(head.preSkip))
    }

    private let limits: AudioInputLimits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var consumedBytes = 0
    private var serial: UInt32?
    private var ignoredSerials: Set<UInt32> = []
    private var nextPageSequence: UInt32 = 0
    private var partial: [UInt8] = []
    private var pageEndedInsidePacket = false
    private var sawTags = false
    private var position: Int64?
    private var pagePackets: [OpusStreamPacket] = []
    private var pagePacketSamples: [Int64] = []
    private var failure: AudioFormatError?

    private static let headerSize = 27
    private static let maxIgnoredStreams = 8

    public init(limits: AudioInputLimits = .default) {
        self.limits = limits
    }

    public mutating func push(_ bytes: [UInt8]) throws(AudioFormatError) -> [OpusStreamPacket] {
        if let failure { throw failure }
        do throws(AudioFormatError) {
            buffer.append(contentsOf: bytes)
            var packets: [OpusStreamPacket] = []
            while let pageSize = try completePageSize() {
                try readPage(size: pageSize)
                packets.append(contentsOf: pagePackets)
                readIndex += pageSize
                consumedBytes += pageSize
            }
            compact()
            return packets
        } catch {
            failure = error
            throw error
        }
    }

    public mutating func finish() throws(AudioFormatError) {
        if let failure { throw failure }
        let error: AudioFormatError?
        if readIndex < buffer.count {
            error = .truncated(.ogg, "input ends inside a page (\(buffer.count - readIndex) bytes after offset \(consumedBytes))")
        } else if head == nil {
            error = .truncated(.ogg, "input ends before the OpusHead header")
        } else if !sawTags {
            error = .truncated(.ogg, "input ends before the OpusTags header")
        } else if pageEndedInsidePacket {
            error = .truncated(.ogg, "input ends inside a packet that continues on a page never sent")
        } else {
            error = nil
        }
        if let error {
            failure = error
            throw error
        }
    }

    /// The size of the page at `readIndex` if all of it has arrived, after checking what its header says.
    private func completePageSize() throws(AudioFormatError) -> Int? {
        let available = buffer.count - readIndex
        guard available >= 4 else { return nil }
        let r = readIndex
        guard buffer[r] == 0x4F, buffer[r + 1] == 0x67, buffer[r + 2] == 0x67, buffer[r + 3] == 0x53 else {
            throw .malformed(.ogg, "expected a page (\"OggS\") at byte offset \(consumedBytes)")
        }
        guard available >= Self.headerSize else { return nil }
        guard buffer[r + 4] == 0 else {
            throw .unsupported(.ogg, "page version \(buffer[r + 4]) at byte offset \(consumedBytes)")
        }
        guard buffer[r + 5] & 0xF8 == 0 else {
            throw .malformed(.ogg, "undefined header flags 0x\(String(buffer[r + 5], radix: 16)) at byte offset \(consumedBytes)")
        }
        let segmentCount = Int(buffer[r + 26])
        guard available >= Self.headerSize + segmentCount else { return nil }
        var bodySize = 0
        for index in 0..<segmentCount { bodySize += Int(buffer[r + Self.headerSize + index]) }
        let pageSize = Self.headerSize + segmentCount + bodySize
        return available >= pageSize ? pageSize : nil
    }

    /// Checks and reads one whole page at `readIndex`, leaving the packets it completed in `pagePackets`.
    private mutating func readPage(size: Int) throws(AudioFormatError) {
        pagePackets.removeAll(keepingCapacity: true)
        pagePacketSamples.removeAll(keepingCapacity: true)
        let r = readIndex
        let stored = readUInt32(at: r + 22)
        let computed = buffer.withUnsafeBufferPointer { OggCRC.pageChecksum(UnsafeBufferPointer(rebasing: $0[r..<(r + size)])) }
        guard stored == computed else {
            throw .checksumMismatch(.ogg, "page at byte offset \(consumedBytes) has CRC \(hex(stored)), its bytes give \(hex(computed))")
        }
        let flags = buffer[r + 5]
        let isContinued = flags & 0x01 != 0, isFirst = flags & 0x02 != 0, isLast = flags & 0x04 != 0
        let granule = Int64(bitPattern: UInt64(readUInt32(at: r + 6)) | UInt64(readUInt32(at: r + 10)) << 32)
        let pageSerial = readUInt32(at: r + 14)
        let pageSequence = readUInt32(at: r + 18)
        let segmentCount = Int(buffer[r + 26])

        guard pageSerial == serial else {
            try admitOtherStream(serial: pageSerial, isFirst: isFirst, bodyStart: r + Self.headerSize + segmentCount)
            return
        }
        guard !reachedEndOfStream else {
            throw .unsupported(.ogg, "a page follows the end of the Opus stream (chained streams are not supported)")
        }
        guard pageSequence == nextPageSequence else {
            throw .malformed(.ogg, "page sequence jumps from \(nextPageSequence) to \(pageSequence): pages are missing")
        }
        nextPageSequence &+= 1
        guard isContinued == pageEndedInsidePacket else {
            throw .malformed(.ogg, isContinued
                ? "page \(pageSequence) continues a packet that the previous page did not start"
                : "page \(pageSequence) drops the packet that the previous page left unfinished")
        }

        var offset = r + Self.headerSize + segmentCount
        var completedSamples: Int64 = 0
        for index in 0..<segmentCount {
            let lacing = Int(buffer[r + Self.headerSize + index])
            let limit = sawTags ? limits.maxPacketBytes : limits.maxMetadataBytes
            guard partial.count + lacing <= limit else {
                throw .tooLarge(.ogg, what: sawTags ? "packet" : "header packet", size: partial.count + lacing, limit: limit)
            }
            partial.append(contentsOf: buffer[offset..<(offset + lacing)])
            offset += lacing
            if lacing < 255 {
                completedSamples += try completePacket(onFirstPage: isFirst)
                partial.removeAll(keepingCapacity: true)
            }
        }
        pageEndedInsidePacket = segmentCount > 0 && buffer[r + Self.headerSize + segmentCount - 1] == 255
        if isFirst, pagePackets.isEmpty == false || pageEndedInsidePacket || head == nil {
            throw .malformed(.ogg, "the first page must hold the OpusHead packet alone")
        }
        if !pagePackets.isEmpty { stampPackets(pageGranule: granule, completedSamples: completedSamples) }
        if isLast {
            guard !pageEndedInsidePacket else {
                throw .malformed(.ogg, "the end-of-stream page ends inside a packet")
            }
            reachedEndOfStream = true
        }
    }

    /// Deals with a page of a logical stream other than the Opus one.
    private mutating func admitOtherStream(serial pageSerial: UInt32, isFirst: Bool, bodyStart: Int) throws(AudioFormatError) {
        if ignoredSerials.contains(pageSerial) { return }
        guard isFirst else {
            throw .malformed(.ogg, serial == nil
                ? "stream does not start with a beginning-of-stream page"
                : "page of unknown logical stream \(pageSerial)")
        }
        let opensOpus = buffer[bodyStart...].starts(with: OpusHead.magic)
        if serial == nil, opensOpus {
            serial = pageSerial
            nextPageSequence = 0
            try readPage(size: completePageSizeUnchecked())
            return
        }
        guard ignoredSerials.count < Self.maxIgnoredStreams else {
            throw .unsupported(.ogg, "more than \(Self.maxIgnoredStreams) logical streams")
        }
        // RFC 7845 §3 allows other streams (Skeleton, video) beside the Opus one: skip them.
        ignoredSerials.insert(pageSerial)
    }

    private func completePageSizeUnchecked() -> Int {
        let r = readIndex, segmentCount = Int(buffer[r + 26])
        var size = Self.headerSize + segmentCount
        for index in 0..<segmentCount { size += Int(buffer[r + Self.headerSize + index]) }
        return size
    }

    /// Handles the packet now whole in `partial`; returns its duration in 48 kHz samples if it is audio.
    private mutating func completePacket(onFirstPage: Bool) throws(AudioFormatError) -> Int64 {
        guard head != nil else {
            head = try OpusHead(parsing: partial, container: .ogg)
            return 0
        }
        if onFirstPage {
            throw .malformed(.ogg, "the first page must hold the OpusHead packet alone")
        }
        guard sawTags else {
            guard partial.starts(with: Array("OpusTags".utf8)) else {
                throw .malformed(.ogg, "the second packet is not an OpusTags header")
            }
            sawTags = true
            return 0
        }
        let info = try OpusPacketInfo(packet: partial)
        pagePackets.append(OpusStreamPacket(data: partial, sequence: packetCount))
        pagePacketSamples.append(Int64(info.sampleCount))
        packetCount += 1
        return Int64(info.sampleCount)
    }

    /// Gives the page's packets their start times: the granule position marks the end of the last one.
    private mutating func stampPackets(pageGranule: Int64, completedSamples: Int64) {
        guard let head else { return }
        // The first audio page fixes where the stream starts (RFC 7845 §4.5); a start below zero is only
        // allowed when the last page trims samples from the end, so clamp it.
        var start = position ?? max(0, pageGranule - completedSamples)
        for index in pagePackets.indices {
            let micros = (start - Int64(head.preSkip)) * 1_000_000 / 48_000
            pagePackets[index].timestampMicros = micros
            start += pagePacketSamples[index]
        }
        position = start
        if pageGranule >= 0 { lastGranulePosition = pageGranule }
    }

    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 17)
            readIndex = 0
        } else if readIndex >= 1 << 16 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }

    private func readUInt32(at index: Int) -> UInt32 {
        UInt32(buffer[index]) | UInt32(buffer[index + 1]) << 8 | UInt32(buffer[index + 2]) << 16 | UInt32(buffer[index + 3]) << 24
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}

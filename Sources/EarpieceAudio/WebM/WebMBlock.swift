/// The header of a Matroska Block or SimpleBlock (RFC 9559 §10.1) and the frames its lacing packs.
struct WebMBlock: Equatable {
    /// The track the block belongs to.
    var trackNumber: UInt64
    /// Signed offset from the Cluster's timestamp, in TimestampScale units.
    var relativeTimestamp: Int16
    /// The lacing bits of the flags byte: 0 none, 1 Xiph, 2 fixed-size, 3 EBML.
    var lacing: UInt8
    /// Where the lacing header (or, without lacing, the single frame) starts in the buffer.
    var payloadStart: Int
    /// Where the block ends in the buffer.
    var end: Int

    /// The most frames one laced block may carry. Matroska allows 256; Opus in WebM is rarely laced at all,
    /// so a small bound keeps a hostile block from costing a long loop for nothing.
    static let maxLacedFrames = 64

    /// Reads the block header from `bytes[start..<end]`.
    init(parsing bytes: [UInt8], start: Int, end: Int) throws(AudioFormatError) {
        guard let track = try EBMLVarInt.decode(bytes, at: start, end: end, what: "a block's track number") else {
            throw .malformed(.webm, "a block ends inside its track number")
        }
        let timestampAt = start &+ track.length
        guard end - timestampAt >= 3 else {
            throw .malformed(.webm, "a block of \(end - start) bytes is too short for its timestamp and flags")
        }
        trackNumber = track.value
        relativeTimestamp = Int16(bitPattern: UInt16(bytes[timestampAt]) << 8 | UInt16(bytes[timestampAt &+ 1]))
        lacing = bytes[timestampAt &+ 2] >> 1 & 0x03
        payloadStart = timestampAt &+ 3
        self.end = end
    }

    /// The byte range of an unlaced block's one frame, checked to be non-empty and within the limit.
    func unlacedFrame(limits: AudioInputLimits) throws(AudioFormatError) -> Range<Int> {
        try Self.checkedFrame(payloadStart..<end, index: 0, limits: limits)
    }

    /// The byte ranges of a laced block's frames in `bytes`, in order; each is non-empty and within the limit.
    func lacedFrames(in bytes: [UInt8], limits: AudioInputLimits) throws(AudioFormatError) -> [Range<Int>] {
        guard payloadStart < end else {
            throw .malformed(.webm, "a laced block ends before its frame count")
        }
        let frameCount = Int(bytes[payloadStart]) &+ 1
        guard frameCount <= Self.maxLacedFrames else {
            throw .unsupported(.webm, "a block laces \(frameCount) frames; at most \(Self.maxLacedFrames) are accepted")
        }
        var position = payloadStart &+ 1
        var sizes: [Int] = []
        sizes.reserveCapacity(frameCount)
        switch lacing {
        case 1:
            try readXiphSizes(bytes, count: frameCount, position: &position, into: &sizes)
        case 3:
            try readEBMLSizes(bytes, count: frameCount, position: &position, into: &sizes)
        default:
            // Fixed-size lacing: every frame takes an equal share of what follows the count byte.
            let remaining = end - position
            guard remaining % frameCount == 0 else {
                throw .malformed(.webm, "fixed-size lacing splits \(remaining) bytes into \(frameCount) unequal frames")
            }
            sizes = Array(repeating: remaining / frameCount, count: frameCount - 1)
        }
        // The last frame takes whatever the others left.
        let used = sizes.reduce(0, &+)
        guard used <= end - position else {
            throw .malformed(.webm, "laced frame sizes add up to \(used) bytes but the block holds \(end - position)")
        }
        sizes.append(end - position - used)
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(frameCount)
        for index in sizes.indices {
            ranges.append(try Self.checkedFrame(position..<(position &+ sizes[index]), index: index, limits: limits))
            position &+= sizes[index]
        }
        return ranges
    }

    /// Xiph lacing: each size but the last is a run of 255s ended by a smaller byte, summed.
    private func readXiphSizes(
        _ bytes: [UInt8], count: Int, position: inout Int, into sizes: inout [Int]
    ) throws(AudioFormatError) {
        for _ in 0..<(count - 1) {
            var size = 0
            while true {
                guard position < end else {
                    throw .malformed(.webm, "a block ends inside its Xiph lacing sizes")
                }
                let byte = bytes[position]
                position &+= 1
                size &+= Int(byte)
                if byte != 255 { break }
            }
            sizes.append(size)
        }
    }

    /// EBML lacing: the first size as a VINT, then each next size as a signed VINT difference from the last.
    private func readEBMLSizes(
        _ bytes: [UInt8], count: Int, position: inout Int, into sizes: inout [Int]
    ) throws(AudioFormatError) {
        guard count > 1 else { return }
        guard let first = try EBMLVarInt.decode(bytes, at: position, end: end, what: "an EBML lacing size") else {
            throw .malformed(.webm, "a block ends inside its EBML lacing sizes")
        }
        position &+= first.length
        // Sizes past the block's end are caught later; bounding them here keeps the arithmetic small.
        var size = Int(clamping: min(first.value, UInt64(Int32.max)))
        sizes.append(size)
        for _ in 0..<(count - 2) {
            guard let raw = try EBMLVarInt.decode(bytes, at: position, end: end, what: "an EBML lacing size") else {
                throw .malformed(.webm, "a block ends inside its EBML lacing sizes")
            }
            position &+= raw.length
            // A signed VINT is the raw value minus half its range (RFC 9559 §10.3.3).
            let bias = Int64(1) << (7 &* Int64(raw.length) &- 1) &- 1
            let difference = Int64(bitPattern: raw.value) &- bias
            let next = Int64(size) &+ difference
            guard next >= 0, next <= Int64(end - position) else {
                throw .malformed(.webm, "EBML lacing gives a frame a size of \(next) bytes")
            }
            size = Int(next)
            sizes.append(size)
        }
    }

    private static func checkedFrame(
        _ range: Range<Int>, index: Int, limits: AudioInputLimits
    ) throws(AudioFormatError) -> Range<Int> {
        guard !range.isEmpty else {
            throw .malformed(.webm, "frame \(index) of a block is empty")
        }
        guard range.count <= limits.maxPacketBytes else {
            throw .tooLarge(.webm, what: "frame", size: range.count, limit: limits.maxPacketBytes)
        }
        return range
    }
}

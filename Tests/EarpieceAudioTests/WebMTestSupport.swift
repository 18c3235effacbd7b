import EarpieceAudio
import Foundation

/// Matroska element IDs the WebM tests write.
enum WebMTestID {
    static let ebml: UInt32 = 0x1A45_DFA3
    static let docType: UInt32 = 0x4282
    static let docTypeVersion: UInt32 = 0x4287
    static let segment: UInt32 = 0x1853_8067
    static let seekHead: UInt32 = 0x114D_9B74
    static let info: UInt32 = 0x1549_A966
    static let timestampScale: UInt32 = 0x2AD7B1
    static let muxingApp: UInt32 = 0x4D80
    static let tracks: UInt32 = 0x1654_AE6B
    static let trackEntry: UInt32 = 0xAE
    static let trackNumber: UInt32 = 0xD7
    static let trackUID: UInt32 = 0x73C5
    static let trackType: UInt32 = 0x83
    static let codecID: UInt32 = 0x86
    static let codecPrivate: UInt32 = 0x63A2
    static let codecDelay: UInt32 = 0x56AA
    static let contentEncodings: UInt32 = 0x6D80
    static let audio: UInt32 = 0xE1
    static let channels: UInt32 = 0x9F
    static let cluster: UInt32 = 0x1F43_B675
    static let timestamp: UInt32 = 0xE7
    static let simpleBlock: UInt32 = 0xA3
    static let blockGroup: UInt32 = 0xA0
    static let block: UInt32 = 0xA1
    static let blockDuration: UInt32 = 0x9B
    static let cues: UInt32 = 0x1C53_BB6B
    static let tags: UInt32 = 0x1254_C367
    static let void: UInt32 = 0xEC
}

/// How a test block packs its frames (RFC 9559 §10.3).
enum WebMTestLacing: UInt8, CaseIterable {
    case none = 0, xiph = 1, fixed = 2, ebml = 3
}

/// A small EBML writer, so the WebM tests can build the streams they need instead of committing binaries.
enum WebMWriter {
    /// The 8-byte "unknown size" VINT live recorders write for Segment and Cluster.
    static let unknownSize: [UInt8] = [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]

    static func id(_ id: UInt32) -> [UInt8] {
        let bytes = [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)]
        return Array(bytes.drop { $0 == 0 })
    }

    /// `value` as a VINT of `length` bytes, or of the fewest bytes that can hold it.
    static func varInt(_ value: UInt64, length: Int? = nil) -> [UInt8] {
        var length = length ?? 1
        if length < 8 {
            while value >= (UInt64(1) << (7 * UInt64(length))) - 1 && length < 8 { length += 1 }
        }
        var bytes = (0..<length).map { UInt8(value >> (8 * UInt64(length - 1 - $0)) & 0xFF) }
        bytes[0] |= 0x80 >> UInt8(length - 1)
        return bytes
    }

    static func element(_ id: UInt32, _ payload: [UInt8], sizeLength: Int? = nil) -> [UInt8] {
        self.id(id) + varInt(UInt64(payload.count), length: sizeLength) + payload
    }

    static func element(_ id: UInt32, _ children: [[UInt8]], unknownSize: Bool = false) -> [UInt8] {
        let payload = children.flatMap { $0 }
        return unknownSize ? self.id(id) + Self.unknownSize + payload : element(id, payload)
    }

    static func uint(_ id: UInt32, _ value: UInt64) -> [UInt8] {
        var bytes = withUnsafeBytes(of: value.bigEndian, Array.init)
        while bytes.count > 1 && bytes[0] == 0 { bytes.removeFirst() }
        return element(id, bytes)
    }

    static func string(_ id: UInt32, _ text: String) -> [UInt8] { element(id, Array(text.utf8)) }

    static func ebmlHeader(docType: String = "webm") -> [UInt8] {
        element(WebMTestID.ebml, [string(WebMTestID.docType, docType), uint(WebMTestID.docTypeVersion, 4)])
    }

    static func segment(_ children: [[UInt8]], unknownSize: Bool = false) -> [UInt8] {
        element(WebMTestID.segment, children, unknownSize: unknownSize)
    }

    static func info(timestampScale: UInt64? = nil) -> [UInt8] {
        var children = [string(WebMTestID.muxingApp, "EarpieceTests")]
        if let timestampScale { children.insert(uint(WebMTestID.timestampScale, timestampScale), at: 0) }
        return element(WebMTestID.info, children)
    }

    static func tracks(_ entries: [[UInt8]]) -> [UInt8] { element(WebMTestID.tracks, entries) }

    /// An Opus TrackEntry as Chrome writes it; pass `head: nil` to leave out CodecPrivate. Without a
    /// `codecDelay`, block times are packet times as they stand.
    static func opusTrack(
        number: UInt64 = 1, head: OpusHead? = OpusHead(channelCount: 2, preSkip: 312),
        channels: UInt64 = 2, codecDelay: UInt64? = nil, codecID: String = "A_OPUS", extra: [[UInt8]] = []
    ) -> [UInt8] {
        var children = [
            uint(WebMTestID.trackNumber, number), uint(WebMTestID.trackUID, 0xC0FFEE + number),
            uint(WebMTestID.trackType, 2), string(WebMTestID.codecID, codecID),
        ]
        if let codecDelay { children.append(uint(WebMTestID.codecDelay, codecDelay)) }
        children.append(element(WebMTestID.audio, [uint(WebMTestID.channels, channels)]))
        if let head { children.append(element(WebMTestID.codecPrivate, head.serialized)) }
        return element(WebMTestID.trackEntry, children + extra)
    }

    static func videoTrack(number: UInt64, codecID: String = "V_VP8") -> [UInt8] {
        element(WebMTestID.trackEntry, [
            uint(WebMTestID.trackNumber, number), uint(WebMTestID.trackType, 1), string(WebMTestID.codecID, codecID),
        ])
    }

    static func cluster(timestamp: UInt64, _ children: [[UInt8]], unknownSize: Bool = false) -> [UInt8] {
        element(WebMTestID.cluster, [uint(WebMTestID.timestamp, timestamp)] + children, unknownSize: unknownSize)
    }

    /// A Block's body: track, relative timestamp, flags, then the frames packed with `lacing`.
    static func blockBody(track: UInt64, relative: Int16, frames: [[UInt8]], lacing: WebMTestLacing, flags: UInt8) -> [UInt8] {
        let timestamp = UInt16(bitPattern: relative)
        var body = varInt(track) + [UInt8(timestamp >> 8), UInt8(timestamp & 0xFF), flags | lacing.rawValue << 1]
        if lacing != .none { body.append(UInt8(frames.count - 1)) }
        let sizes = frames.dropLast().map(\.count)
        switch lacing {
        case .none, .fixed:
            break
        case .xiph:
            for size in sizes {
                body += Array(repeating: 255, count: size / 255) + [UInt8(size % 255)]
            }
        case .ebml:
            if let first = sizes.first { body += varInt(UInt64(first)) }
            for (previous, size) in zip(sizes, sizes.dropFirst()) {
                body += signedVarInt(Int64(size) - Int64(previous))
            }
        }
        return body + frames.flatMap { $0 }
    }

    /// A signed VINT (EBML lacing): the value plus half the range of the shortest length that holds it.
    static func signedVarInt(_ value: Int64) -> [UInt8] {
        var length = 1
        while abs(value) > (Int64(1) << (7 * Int64(length) - 1)) - 1 { length += 1 }
        let bias = (Int64(1) << (7 * Int64(length) - 1)) - 1
        return varInt(UInt64(value + bias), length: length)
    }

    static func simpleBlock(
        track: UInt64 = 1, relative: Int16, frames: [[UInt8]], lacing: WebMTestLacing = .none, flags: UInt8 = 0x80
    ) -> [UInt8] {
        element(WebMTestID.simpleBlock, blockBody(track: track, relative: relative, frames: frames, lacing: lacing, flags: flags))
    }

    static func blockGroup(
        track: UInt64 = 1, relative: Int16, frames: [[UInt8]], lacing: WebMTestLacing = .none, duration: UInt64? = 20
    ) -> [UInt8] {
        var children = [element(WebMTestID.block, blockBody(track: track, relative: relative, frames: frames, lacing: lacing, flags: 0))]
        if let duration { children.append(uint(WebMTestID.blockDuration, duration)) }
        return element(WebMTestID.blockGroup, children)
    }

    static func void(_ count: Int) -> [UInt8] { element(WebMTestID.void, Array(repeating: 0, count: count)) }

    /// A 20 ms CELT fullband stereo packet (TOC 0xFC) of `size` bytes whose body encodes `index`.
    static func fakeOpusPacket(_ index: Int, size: Int = 40) -> [UInt8] {
        [0xFC] + (1..<max(size, 1)).map { UInt8(truncatingIfNeeded: index &* 31 &+ $0) }
    }

    /// A 10 ms CELT fullband stereo packet (TOC 0xF4), so laced timestamps can't pass by accident.
    static func fakeTenMillisecondPacket(_ index: Int, size: Int = 30) -> [UInt8] {
        [0xF4] + (1..<max(size, 1)).map { UInt8(truncatingIfNeeded: index &* 17 &+ $0) }
    }

    /// A stream with a little of everything: skipped elements, a video track, SimpleBlocks, a BlockGroup and
    /// each kind of lacing, in known- or unknown-sized Segment and Clusters; with the packets it carries
    /// (18 per Cluster).
    static func sampleStream(unknownSizes: Bool = false, clusterCount: Int = 4) -> (bytes: [UInt8], packets: [OpusStreamPacket]) {
        var clusters: [[UInt8]] = []
        var packets: [OpusStreamPacket] = []
        func block(cluster: Int, relative: Int16, sizes: [Int], lacing: WebMTestLacing = .none, group: Bool = false) -> [UInt8] {
            let frames = sizes.enumerated().map { fakeOpusPacket(packets.count + $0.offset, size: $0.element) }
            for (offset, frame) in frames.enumerated() {
                // Timestamps: (cluster + relative) ms, plus 20 ms per laced frame before this one, less the
                // 6.5 ms CodecDelay.
                let micros = Int64(cluster + Int(relative)) * 1000 + Int64(offset) * 20_000 - 6500
                packets.append(OpusStreamPacket(data: frame, sequence: UInt64(packets.count), timestampMicros: micros))
            }
            return group
                ? blockGroup(relative: relative, frames: frames, lacing: lacing)
                : simpleBlock(relative: relative, frames: frames, lacing: lacing)
        }
        for clusterNumber in 0..<clusterCount {
            let timestamp = clusterNumber * 360
            var children: [[UInt8]] = []
            for blockNumber in 0..<8 {
                let relative = Int16(blockNumber * 20)
                children.append(block(cluster: timestamp, relative: relative, sizes: [20 + blockNumber * 7]))
                if blockNumber == 3 {
                    children.append(simpleBlock(track: 2, relative: relative, frames: [Array(repeating: 0x55, count: 300)]))
                }
            }
            children.append(block(cluster: timestamp, relative: 160, sizes: [90], group: true))
            children.append(block(cluster: timestamp, relative: 180, sizes: [300, 30, 255], lacing: .xiph))
            children.append(block(cluster: timestamp, relative: 240, sizes: [64, 64], lacing: .fixed))
            children.append(block(cluster: timestamp, relative: 280, sizes: [50, 200, 10, 70], lacing: .ebml))
            children.append(void(5))
            clusters.append(cluster(timestamp: UInt64(timestamp), children, unknownSize: unknownSizes))
        }
        let cues = element(WebMTestID.cues, Array(repeating: 0xAB, count: 64))
        let tags = element(WebMTestID.tags, Array(repeating: 0xCD, count: 32))
        let bytes = ebmlHeader() + segment([
            element(WebMTestID.seekHead, Array(repeating: 0x42, count: 20)), void(30), info(),
            tracks([opusTrack(codecDelay: 6_500_000), videoTrack(number: 2)]), tags,
        ] + clusters + [cues], unknownSize: unknownSizes)
        return (bytes, packets)
    }
}

/// What demuxing a byte stream produced: the packets, the header, and the error that stopped it, if any.
struct WebMDemuxOutcome: Equatable {
    var packets: [OpusStreamPacket] = []
    var head: OpusHead?
    var error: AudioFormatError?

    /// Feeds `chunks` one push each, then finishes, collecting everything up to the first error.
    init(chunks: some Sequence<[UInt8]>, limits: AudioInputLimits = .default) {
        var demuxer = WebMOpusDemuxer(limits: limits)
        do throws(AudioFormatError) {
            for chunk in chunks { packets += try demuxer.push(chunk) }
            try demuxer.finish()
        } catch {
            self.error = error
        }
        head = demuxer.head
    }

    init(_ bytes: [UInt8], limits: AudioInputLimits = .default) {
        self.init(chunks: [bytes], limits: limits)
    }

    /// Splits `bytes` at each of `offsets` (sorted) and feeds the pieces.
    init(_ bytes: [UInt8], splitAt offsets: [Int]) {
        let bounds = [0] + offsets + [bytes.count]
        self.init(chunks: zip(bounds, bounds.dropFirst()).lazy.map { Array(bytes[$0..<$1]) })
    }

    /// Feeds `bytes` one byte per push.
    init(byteAtATime bytes: [UInt8]) {
        self.init(chunks: bytes.lazy.map { [$0] })
    }
}

/// The ffmpeg-muxed recording in Fixtures/calls, and a walker to rewrite its sizes.
enum WebMFixture {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/calls/pricing-call.webm")

    static func pricingCall() -> [UInt8]? {
        FileManager.default.contents(atPath: url.path).map { Array($0) }
    }

    /// A copy of `bytes` with the Segment's and every Cluster's size rewritten to "unknown" (all value bits
    /// set) at the same length, as a live recorder would have written them.
    static func withUnknownSizes(_ bytes: [UInt8]) -> [UInt8]? {
        var out = bytes
        var position = 0
        var segmentEnd = bytes.count
        while position < segmentEnd {
            guard let (id, sizeAt, sizeLength, size) = header(bytes, at: position) else { return nil }
            let payloadAt = sizeAt + sizeLength
            if id == WebMTestID.segment || id == WebMTestID.cluster {
                out[sizeAt] = 0x80 >> UInt8(sizeLength - 1) | (0xFF >> UInt8(sizeLength))
                for index in (sizeAt + 1)..<payloadAt { out[index] = 0xFF }
            }
            if id == WebMTestID.segment {
                // Descend into the Segment; its children follow until its end.
                segmentEnd = payloadAt + size
                position = payloadAt
            } else {
                position = payloadAt + size
            }
        }
        return out
    }

    /// The ID, where its size starts, the size's length and value, of the element at `position`.
    private static func header(_ bytes: [UInt8], at position: Int) -> (UInt32, Int, Int, Int)? {
        guard position < bytes.count else { return nil }
        let idLength = bytes[position].leadingZeroBitCount + 1
        let sizeAt = position + idLength
        guard idLength <= 4, sizeAt < bytes.count else { return nil }
        let id = bytes[position..<sizeAt].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let sizeLength = bytes[sizeAt].leadingZeroBitCount + 1
        guard sizeLength <= 8, sizeAt + sizeLength <= bytes.count else { return nil }
        var size = Int(bytes[sizeAt] & (0xFF >> UInt8(sizeLength)))
        for byte in bytes[(sizeAt + 1)..<(sizeAt + sizeLength)] { size = size << 8 | Int(byte) }
        return (id, sizeAt, sizeLength, size)
    }
}

/// The Matroska element IDs (RFC 9559) the WebM demuxer reads or must recognise.
enum WebMElementID {
    // Top level.
    static let ebml: UInt32 = 0x1A45_DFA3
    static let segment: UInt32 = 0x1853_8067

    // EBML header.
    static let docType: UInt32 = 0x4282

    // Global elements, allowed in any master.
    static let void: UInt32 = 0xEC
    static let crc32: UInt32 = 0xBF

    // Segment children.
    static let seekHead: UInt32 = 0x114D_9B74
    static let info: UInt32 = 0x1549_A966
    static let tracks: UInt32 = 0x1654_AE6B
    static let cluster: UInt32 = 0x1F43_B675
    static let cues: UInt32 = 0x1C53_BB6B
    static let tags: UInt32 = 0x1254_C367
    static let chapters: UInt32 = 0x1043_A770
    static let attachments: UInt32 = 0x1941_A469

    // Info.
    static let timestampScale: UInt32 = 0x2A_D7B1

    // Tracks.
    static let trackEntry: UInt32 = 0xAE
    static let trackNumber: UInt32 = 0xD7
    static let trackType: UInt32 = 0x83
    static let codecID: UInt32 = 0x86
    static let codecPrivate: UInt32 = 0x63A2
    static let codecDelay: UInt32 = 0x56AA
    static let contentEncodings: UInt32 = 0x6D80
    static let audio: UInt32 = 0xE1
    static let channels: UInt32 = 0x9F

    // Cluster.
    static let timestamp: UInt32 = 0xE7
    static let simpleBlock: UInt32 = 0xA3
    static let blockGroup: UInt32 = 0xA0
    static let block: UInt32 = 0xA1

    /// Elements that end an unknown-sized Segment: a new EBML document or Segment (RFC 8794 §6.2).
    static func endsUnknownSizedSegment(_ id: UInt32) -> Bool {
        id == ebml || id == segment
    }

    /// Elements that end an unknown-sized Cluster: the Cluster's siblings and the top-level elements.
    ///
    /// IDs we do not know are treated as the Cluster's children and skipped, as RFC 9559 asks readers to
    /// skip unknown elements.
    static func endsUnknownSizedCluster(_ id: UInt32) -> Bool {
        endsUnknownSizedSegment(id) || segmentChildren.contains(id)
    }

    static let segmentChildren: Set<UInt32> = [
        seekHead, info, tracks, cluster, cues, tags, chapters, attachments,
    ]

    /// A readable name for error messages.
    static func name(_ id: UInt32) -> String {
        switch id {
        case ebml: return "EBML header"
        case segment: return "Segment"
        case docType: return "DocType"
        case info: return "Info"
        case tracks: return "Tracks"
        case cluster: return "Cluster"
        case cues: return "Cues"
        case tags: return "Tags"
        case seekHead: return "SeekHead"
        case chapters: return "Chapters"
        case attachments: return "Attachments"
        case timestampScale: return "TimestampScale"
        case trackEntry: return "TrackEntry"
        case trackNumber: return "TrackNumber"
        case trackType: return "TrackType"
        case codecID: return "CodecID"
        case codecPrivate: return "CodecPrivate"
        case codecDelay: return "CodecDelay"
        case audio: return "Audio"
        case channels: return "Channels"
        case timestamp: return "Cluster Timestamp"
        case simpleBlock: return "SimpleBlock"
        case blockGroup: return "BlockGroup"
        case block: return "Block"
        case void: return "Void"
        default: return "element \(EBMLElementHeader.hex(id))"
        }
    }
}

/// Walks the element tree of a WebM byte stream as bytes arrive, without holding more than one element.
///
/// `next()` reports where elements start and end. After each `.start`, the caller decides what the element
/// is to it: a master to `enter`, a leaf to `read` whole (delivered as `.leaf`), something to `skip` (streamed
/// past, never buffered), or one to `peek` at before skipping it. Masters of known size end at their last byte; those
/// of unknown size end where an element that cannot be their child begins (RFC 8794 §6.2).
struct WebMElementReader {
    enum Event: Equatable {
        /// An element's header was read; the caller must now call `enter`, `read`, `skip` or `peek`.
        case start(EBMLElementHeader)
        /// A leaf element the caller asked to read is complete in `buffer[range]` (valid until `compact()`).
        case leaf(id: UInt32, range: Range<Int>)
        /// The first bytes the caller asked to peek at are in `buffer[range]`; unless the caller throws, the rest
        /// of the element is then skipped.
        case peeked(id: UInt32, size: Int, range: Range<Int>)
        /// A master element ended.
        case end(id: UInt32)
    }

    private enum State: Equatable {
        case header
        /// A header was reported; waiting for the caller's decision.
        case deciding(EBMLElementHeader)
        case skipping(id: UInt32, remaining: Int)
        case reading(id: UInt32, size: Int)
        case peeking(id: UInt32, size: Int, count: Int)
    }

    private struct OpenElement: Equatable {
        var id: UInt32
        /// Stream offset just past the element, or nil for an unknown size.
        var end: Int?
    }

    /// Input not yet consumed is `buffer[readIndex...]`.
    private(set) var buffer: [UInt8] = []
    private var readIndex = 0
    /// The stream offset of `buffer[readIndex]`.
    private var offset = 0
    private var state = State.header
    /// The masters we are inside, outermost first.
    private var openElements: [OpenElement] = []

    /// The innermost master we are inside, or nil at the top level.
    var parent: UInt32? { openElements.last?.id }

    /// Whether any byte has arrived.
    var hasInput: Bool { offset > 0 || readIndex < buffer.count }

    mutating func append(_ bytes: [UInt8]) {
        if readIndex == buffer.count {
            // Nothing pending: adopt the caller's array without copying it.
            buffer = bytes
            readIndex = 0
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Drops consumed bytes, keeping only the unfinished element (invalidates ranges from earlier events).
    mutating func compact() {
        if readIndex == buffer.count {
            buffer = []
        } else if readIndex > 0 {
            buffer.removeSubrange(0..<readIndex)
        }
        readIndex = 0
    }

    /// The next event the buffered bytes complete, or nil when more bytes are needed.
    mutating func next() throws(AudioFormatError) -> Event? {
        while true {
            if let index = innermostSizedIndex, openElements[index].end == offset {
                // A known-sized master ends here, and any unknown-sized ones inside it: innermost first.
                return .end(id: openElements.removeLast().id)
            }
            let available = buffer.count - readIndex
            switch state {
            case .header:
                guard let header = try EBMLElementHeader.parse(buffer, at: readIndex, end: buffer.count) else { return nil }
                if let top = openElements.last, top.end == nil, !Self.unknownSized(top.id, canContain: header.id) {
                    // The header stays unconsumed; it is read again in the new parent.
                    return .end(id: openElements.removeLast().id)
                }
                state = .deciding(header)
                return .start(header)
            case .deciding(let header):
                // The caller made no decision: treat the element as one to skip.
                try skip(header)
            case .skipping(let id, let remaining):
                let step = min(remaining, available)
                consume(step)
                guard step == remaining else {
                    state = .skipping(id: id, remaining: remaining - step)
                    return nil
                }
                state = .header
            case .reading(let id, let size):
                guard available >= size else { return nil }
                let start = readIndex
                consume(size)
                state = .header
                return .leaf(id: id, range: start..<readIndex)
            case .peeking(let id, let size, let count):
                guard available >= min(size, count) else { return nil }
                state = .skipping(id: id, remaining: size)
                return .peeked(id: id, size: size, range: readIndex..<(readIndex + min(size, count)))
            }
        }
    }

    /// Descends into the master element just started. Only a Segment or Cluster may have an unknown size.
    mutating func enter(_ header: EBMLElementHeader) throws(AudioFormatError) {
        let end = try commit(header, allowingUnknownSize: header.id == WebMElementID.segment || header.id == WebMElementID.cluster)
        openElements.append(OpenElement(id: header.id, end: end))
        state = .header
    }

    /// Buffers the element just started, to deliver it whole as a `.leaf` event.
    mutating func read(_ header: EBMLElementHeader) throws(AudioFormatError) {
        state = .reading(id: header.id, size: try commitSized(header))
    }

    /// Streams past the element just started, without buffering it.
    mutating func skip(_ header: EBMLElementHeader) throws(AudioFormatError) {
        state = .skipping(id: header.id, remaining: try commitSized(header))
    }

    /// Waits for the first `count` bytes of the element just started (or all of it, if shorter).
    mutating func peek(_ header: EBMLElementHeader, count: Int) throws(AudioFormatError) {
        state = .peeking(id: header.id, size: try commitSized(header), count: count)
    }

    /// Why the stream cannot end here, or nil when it can: between elements, with only unknown-sized
    /// masters open.
    var unfinishedReason: String? {
        let available = buffer.count - readIndex
        switch state {
        case .header where available > 0:
            return "the stream ended inside an element header"
        case .header:
            break
        case .deciding(let header):
            return "the stream ended inside \(WebMElementID.name(header.id))"
        case .skipping(let id, let remaining):
            return "the stream ended \(remaining) bytes before the end of \(WebMElementID.name(id))"
        case .reading(let id, let size), .peeking(let id, let size, _):
            return "the stream ended inside \(WebMElementID.name(id)) after \(available) of \(size) bytes"
        }
        if let index = innermostSizedIndex, let end = openElements[index].end {
            return "the stream ended \(end - offset) bytes before the end of \(WebMElementID.name(openElements[index].id))"
        }
        return nil
    }

    /// Checks that the element just started fits its parent, consumes its header and returns its end offset.
    private mutating func commit(_ header: EBMLElementHeader, allowingUnknownSize: Bool) throws(AudioFormatError) -> Int? {
        let name = WebMElementID.name(header.id)
        let headerEnd = offset &+ header.length
        var end: Int?
        if let size = header.size {
            let (sum, overflow) = headerEnd.addingReportingOverflow(size)
            guard !overflow else { throw .malformed(.webm, "\(name) is impossibly large") }
            end = sum
        } else if !allowingUnknownSize {
            throw .malformed(.webm, "\(name) has an unknown size; only a Segment or Cluster may")
        }
        if let index = innermostSizedIndex, let parentEnd = openElements[index].end {
            guard headerEnd <= parentEnd, (end ?? headerEnd) <= parentEnd else {
                throw .malformed(.webm, "\(name) runs past the end of its parent \(WebMElementID.name(openElements[index].id))")
            }
        }
        consume(header.length)
        return end
    }

    /// `commit` for an element that must have a known size; returns that size.
    private mutating func commitSized(_ header: EBMLElementHeader) throws(AudioFormatError) -> Int {
        _ = try commit(header, allowingUnknownSize: false)
        return header.size ?? 0  // commit has thrown if the size was unknown
    }

    private mutating func consume(_ count: Int) {
        readIndex += count
        offset += count
    }

    /// The innermost open master with a known size: the one whose end bounds what comes next.
    private var innermostSizedIndex: Int? {
        var index = openElements.count - 1
        while index >= 0 {
            if openElements[index].end != nil { return index }
            index -= 1
        }
        return nil
    }

    /// Whether an element of `id` may continue the unknown-sized master `parent` rather than end it.
    private static func unknownSized(_ parent: UInt32, canContain id: UInt32) -> Bool {
        switch parent {
        case WebMElementID.segment: return !WebMElementID.endsUnknownSizedSegment(id)
        case WebMElementID.cluster: return !WebMElementID.endsUnknownSizedCluster(id)
        default: return false
        }
    }
}

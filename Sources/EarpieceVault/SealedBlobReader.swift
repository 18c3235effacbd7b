import Crypto

/// Opens a sealed blob, incrementally or whole, as `docs/sealed-blob.md` lays out.
///
/// Plaintext from `nextSegment` is authentic but not yet known to be complete: only a successful `finish` says
/// the file was neither cut short nor extended. After any failure every later call throws the same error.
public struct SealedBlobReader: ~Copyable {
    /// The header of the file being read.
    public let header: SealedBlobHeader
    private let cipher: SealedBlobSegmentCipher
    private var buffer: [UInt8] = []
    private var readOffset = 0
    private var failure: SealedBlobError?
    /// The number of segments that have authenticated so far, the last one included once it has.
    public private(set) var authenticSegments = 0
    /// Whether the last segment has authenticated; any byte after it is an error.
    public private(set) var hasReadLastSegment = false

    /// A reader for the segments that follow `header`; feed it the bytes after `header.encodedLength`.
    public init(header: SealedBlobHeader, dataKey: SymmetricKey) throws(SealedBlobError) {
        self.header = header
        self.cipher = try SealedBlobSegmentCipher(dataKey: dataKey, header: header)
    }

    /// Buffers sealed bytes that follow the header.
    public mutating func push(_ sealed: some Collection<UInt8>) {
        if readOffset > 0, readOffset >= buffer.count / 2 {
            buffer.removeFirst(readOffset)
            readOffset = 0
        }
        buffer += sealed
    }

    /// The plaintext of the next segment, the last included, as soon as its whole record is buffered; `nil` until
    /// then, and after the last segment.
    ///
    /// A descriptor whose length the format forbids is refused as soon as its four bytes are buffered, so a
    /// hostile length never makes the reader wait for, or hold, more than one segment's record.
    public mutating func nextSegment() throws(SealedBlobError) -> [UInt8]? {
        if let failure { throw failure }
        do throws(SealedBlobError) {
            return try openNextRecord()
        } catch {
            failure = error
            throw error
        }
    }

    /// Buffers `sealed` and returns the plaintext of every segment it completes.
    ///
    /// If one of those segments fails, the error is all that is returned; to keep the authentic segments before
    /// it, as recovery does, call `push` and then `nextSegment` until it returns `nil`.
    public mutating func read(_ sealed: some Collection<UInt8>) throws(SealedBlobError) -> [UInt8] {
        push(sealed)
        var out: [UInt8] = []
        while let plaintext = try nextSegment() { out += plaintext }
        return out
    }

    /// Call at the end of input: returns the plaintext of the segments not yet handed out, or throws if the file
    /// was cut short, damaged, or has bytes after its last segment.
    public consuming func finish() throws(SealedBlobError) -> [UInt8] {
        var out: [UInt8] = []
        while let plaintext = try nextSegment() { out += plaintext }
        try checkEndOfInput()
        return out
    }

    /// Opens a whole sealed blob strictly: the full plaintext, or an error; never a part presented as the whole.
    public static func open(_ sealed: [UInt8], dataKey: SymmetricKey) throws(SealedBlobError) -> [UInt8] {
        let header = try SealedBlobHeader.parse(sealed)
        var reader = try SealedBlobReader(header: header, dataKey: dataKey)
        reader.push(sealed[header.encodedLength...])
        return try reader.finish()
    }

    /// Opens a whole sealed blob leniently: the plaintext of the authentic segments before the first damage,
    /// their count, and why reading stopped (`nil` for a complete file). Copy `plaintext` into a new file to
    /// finish an interrupted one.
    public static func recover(_ sealed: [UInt8], dataKey: SymmetricKey) -> SealedBlobRecovery {
        let header: SealedBlobHeader
        var reader: SealedBlobReader
        do throws(SealedBlobError) {
            header = try SealedBlobHeader.parse(sealed)
            reader = try SealedBlobReader(header: header, dataKey: dataKey)
        } catch {
            return SealedBlobRecovery(plaintext: [], authenticSegments: 0, stopReason: error)
        }
        reader.push(sealed[header.encodedLength...])
        var plaintext: [UInt8] = []
        do throws(SealedBlobError) {
            while let segment = try reader.nextSegment() { plaintext += segment }
            try reader.checkEndOfInput()
        } catch {
            return SealedBlobRecovery(
                plaintext: plaintext, authenticSegments: reader.authenticSegments, stopReason: error)
        }
        return SealedBlobRecovery(plaintext: plaintext, authenticSegments: reader.authenticSegments, stopReason: nil)
    }

    private mutating func openNextRecord() throws(SealedBlobError) -> [UInt8]? {
        let available = buffer.count - readOffset
        if hasReadLastSegment {
            guard available == 0 else { throw .bytesAfterLastSegment(count: available) }
            return nil
        }
        guard available >= SealedBlobSegmentDescriptor.encodedLength else { return nil }
        let descriptor = SealedBlobSegmentDescriptor(decoding: buffer[readOffset...])
        try descriptor.validate(segmentSize: header.segmentSize, segment: authenticSegments)
        // Counters run from 0 to 2^32 - 1, and only the last segment may take the final one.
        guard authenticSegments < Int(UInt32.max) || (descriptor.isLast && authenticSegments == Int(UInt32.max))
        else { throw .tooManySegments }
        guard available >= descriptor.recordLength else { return nil }
        let bodyStart = readOffset + SealedBlobSegmentDescriptor.encodedLength
        let plaintext = try cipher.open(
            buffer[bodyStart..<readOffset + descriptor.recordLength], descriptor: descriptor,
            counter: UInt32(authenticSegments))
        readOffset += descriptor.recordLength
        authenticSegments += 1
        hasReadLastSegment = descriptor.isLast
        return plaintext
    }

    /// Throws unless the input ended exactly after the last segment.
    private func checkEndOfInput() throws(SealedBlobError) {
        if let failure { throw failure }
        guard !hasReadLastSegment else { return }
        let available = buffer.count - readOffset
        guard available > 0 else { throw .missingLastSegment(afterSegments: authenticSegments) }
        let need =
            available < SealedBlobSegmentDescriptor.encodedLength
            ? SealedBlobSegmentDescriptor.encodedLength
            : SealedBlobSegmentDescriptor(decoding: buffer[readOffset...]).recordLength
        throw .truncatedSegment(segment: authenticSegments, have: available, need: need)
    }
}

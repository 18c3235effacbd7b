import Crypto

/// Opens a sealed blob, incrementally or whole, as `docs/sealed-blob.md` lays out.
///
/// Plaintext from `nextSegment` is authentic but not yet known to be complete: only a successful `finish` says
/// the file was not cut short. After any failure every later call throws the same error.
public struct SealedBlobReader: ~Copyable {
    /// The header of the file being read.
    public let header: SealedBlobHeader
    private let cipher: SealedBlobSegmentCipher
    private var buffer: [UInt8] = []
    private var readOffset = 0
    private var failure: SealedBlobError?
    /// The number of segments that have authenticated so far.
    public private(set) var authenticSegments = 0

    /// A reader for the segments that follow `header`; feed it the bytes after `header.encodedLength`.
    public init(header: SealedBlobHeader, dataKey: SymmetricKey) throws(SealedBlobError) {
        self.header = header
        self.cipher = try SealedBlobSegmentCipher(dataKey: dataKey, header: header)
    }

    private var recordLength: Int { header.segmentSize + SealedBlobSegmentCipher.tagLength }

    /// Buffers sealed bytes that follow the header.
    public mutating func push(_ sealed: some Collection<UInt8>) {
        if readOffset > 0, readOffset >= buffer.count / 2 {
            buffer.removeFirst(readOffset)
            readOffset = 0
        }
        buffer += sealed
    }

    /// The plaintext of the next full segment, or `nil` until enough bytes are buffered.
    ///
    /// A full-length record is never the last segment (the last holds fewer than `segmentSize` bytes), so it is
    /// opened as soon as it is buffered.
    public mutating func nextSegment() throws(SealedBlobError) -> [UInt8]? {
        if let failure { throw failure }
        guard buffer.count - readOffset >= recordLength else { return nil }
        do throws(SealedBlobError) {
            guard authenticSegments < Int(UInt32.max) else { throw .tooManySegments }
            let record = buffer[readOffset..<readOffset + recordLength]
            let plaintext = try cipher.open(record, counter: UInt32(authenticSegments), isLast: false)
            readOffset += recordLength
            authenticSegments += 1
            return plaintext
        } catch {
            failure = error
            throw error
        }
    }

    /// Buffers `sealed` and returns the plaintext of every full segment it completes.
    public mutating func read(_ sealed: some Collection<UInt8>) throws(SealedBlobError) -> [UInt8] {
        push(sealed)
        var out: [UInt8] = []
        while let plaintext = try nextSegment() { out += plaintext }
        return out
    }

    /// Call at the end of input: returns the plaintext of the remaining full segments and the last one, or throws
    /// if the file was cut short, damaged, or has bytes after its last segment.
    public consuming func finish() throws(SealedBlobError) -> [UInt8] {
        var out: [UInt8] = []
        while let plaintext = try nextSegment() { out += plaintext }
        let rest = buffer[readOffset...]
        guard rest.count >= SealedBlobSegmentCipher.tagLength else {
            throw .missingLastSegment(afterSegments: authenticSegments)
        }
        out += try cipher.open(rest, counter: UInt32(authenticSegments), isLast: true)
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
    /// their count, and why reading stopped. Copy `plaintext` into a new file to finish an interrupted one.
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
        } catch {
            return SealedBlobRecovery(
                plaintext: plaintext, authenticSegments: reader.authenticSegments, stopReason: error)
        }
        let fullSegments = reader.authenticSegments
        do throws(SealedBlobError) {
            plaintext += try reader.finish()
            return SealedBlobRecovery(plaintext: plaintext, authenticSegments: fullSegments + 1, stopReason: nil)
        } catch {
            return SealedBlobRecovery(plaintext: plaintext, authenticSegments: fullSegments, stopReason: error)
        }
    }
}

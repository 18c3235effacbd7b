import Crypto

/// Seals a stream of plaintext into one sealed blob, segment by segment, as `docs/sealed-blob.md` lays out.
///
/// Every segment is sealed once and handed back as soon as it exists: from `append` each segment that filled,
/// from `flush` the pending bytes as a short segment, from `finish` the last segment. A caller that writes and
/// syncs what it is handed, and flushes at least once a second, loses at most the plaintext appended since the
/// last flush. The writer is non-copyable because a copy would seal different plaintext under the same nonces;
/// each writer picks a fresh salt and nonce prefix, so a new writer is a new file. Never append to an existing
/// file: recover it instead. After any error the writer refuses further use, so that no file continues past a
/// segment the caller never received.
public struct SealedBlobWriter: ~Copyable {
    /// The header this writer's file starts with.
    public let header: SealedBlobHeader
    private let cipher: SealedBlobSegmentCipher
    private var pending: [UInt8] = []
    /// Internal, not private, so that tests can reach the counter limit without sealing 2^32 segments.
    var nextCounter: UInt32 = 0
    private var headerWritten = false
    private var failure: SealedBlobError?

    /// Starts a new file for `objectID`, with a fresh random salt and nonce prefix.
    ///
    /// - Parameters:
    ///   - dataKey: the file's 32-byte data key, already unwrapped from the KEK that `keyReference` names.
    ///   - segmentSize: the most plaintext bytes per segment; it bounds a reader's buffer and the bytes sealed at
    ///     once, while `flush` decides what reaches disk.
    public init(
        objectID: String, keyReference: SealedBlobKeyReference, dataKey: SymmetricKey,
        segmentSize: Int = SealedBlobHeader.defaultSegmentSize
    ) throws(SealedBlobError) {
        var random = SystemRandomNumberGenerator()
        let header = try SealedBlobHeader(
            segmentSize: segmentSize,
            salt: (0..<SealedBlobHeader.saltLength).map { _ in UInt8.random(in: .min ... .max, using: &random) },
            noncePrefix: (0..<SealedBlobHeader.noncePrefixLength).map { _ in
                UInt8.random(in: .min ... .max, using: &random)
            },
            objectID: objectID, keyReference: keyReference)
        try self.init(header: header, dataKey: dataKey)
    }

    /// A writer for a caller-chosen header; internal because a reused salt and prefix would reuse nonces.
    init(header: SealedBlobHeader, dataKey: SymmetricKey) throws(SealedBlobError) {
        self.header = header
        self.cipher = try SealedBlobSegmentCipher(dataKey: dataKey, header: header)
        pending.reserveCapacity(header.segmentSize)
    }

    /// Plaintext bytes buffered but not yet sealed; they are lost if the process dies now.
    public var pendingByteCount: Int { pending.count }

    /// Buffers `plaintext` and returns the bytes to write next: the header (on the first call) and every segment
    /// that is now full. Concatenating everything `append`, `flush` and `finish` return gives the file.
    public mutating func append(_ plaintext: some Collection<UInt8>) throws(SealedBlobError) -> [UInt8] {
        try appendBuffering(plaintext)
    }

    /// `append` for an array, as the recorder calls it: a generic called from another module runs unspecialised,
    /// and its type lookups were a tenth of sealing; this one is specialised here.
    public mutating func append(_ plaintext: [UInt8]) throws(SealedBlobError) -> [UInt8] {
        try appendBuffering(plaintext)
    }

    private mutating func appendBuffering(_ plaintext: some Collection<UInt8>) throws(SealedBlobError) -> [UInt8] {
        try guarded { (writer: inout SealedBlobWriter) throws(SealedBlobError) -> [UInt8] in
            var out = writer.takeHeaderIfUnwritten()
            var remaining = plaintext[...]
            while !remaining.isEmpty {
                let piece = remaining.prefix(writer.header.segmentSize - writer.pending.count)
                writer.pending += piece
                remaining = remaining[piece.endIndex...]
                if writer.pending.count == writer.header.segmentSize {
                    out += try writer.sealPending(isLast: false)
                }
            }
            return out
        }
    }

    /// Seals the pending bytes, if any, as a short segment that is not the last, and returns the bytes to write
    /// next (the header too if it was not handed out yet); write and sync them to make everything appended so far
    /// durable.
    public mutating func flush() throws(SealedBlobError) -> [UInt8] {
        try guarded { (writer: inout SealedBlobWriter) throws(SealedBlobError) -> [UInt8] in
            var out = writer.takeHeaderIfUnwritten()
            if !writer.pending.isEmpty { out += try writer.sealPending(isLast: false) }
            return out
        }
    }

    /// Seals the pending bytes (possibly none) as the last segment and returns the bytes that end the file.
    public consuming func finish() throws(SealedBlobError) -> [UInt8] {
        try guarded { (writer: inout SealedBlobWriter) throws(SealedBlobError) -> [UInt8] in
            writer.takeHeaderIfUnwritten() + (try writer.sealPending(isLast: true))
        }
    }

    /// Runs `body`, remembering its first error and throwing that error from every later call.
    private mutating func guarded(
        _ body: (inout SealedBlobWriter) throws(SealedBlobError) -> [UInt8]
    ) throws(SealedBlobError) -> [UInt8] {
        if let failure { throw failure }
        do throws(SealedBlobError) {
            return try body(&self)
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func sealPending(isLast: Bool) throws(SealedBlobError) -> [UInt8] {
        // The last segment needs a counter of its own, so no other segment may take the final counter value.
        guard isLast || nextCounter < UInt32.max else { throw .tooManySegments }
        let record = try cipher.seal(pending[...], counter: nextCounter, isLast: isLast)
        pending.removeAll(keepingCapacity: true)
        if !isLast { nextCounter += 1 }
        return record
    }

    private mutating func takeHeaderIfUnwritten() -> [UInt8] {
        guard !headerWritten else { return [] }
        headerWritten = true
        return header.encoded()
    }
}

import Crypto

/// Seals a stream of plaintext into one sealed blob, segment by segment, as `docs/sealed-blob.md` lays out.
///
/// Every full segment is sealed as soon as it is complete and returned from `append`, so a caller that writes and
/// syncs what `append` returns loses at most the `pendingByteCount` bytes not yet in a full segment. The writer is
/// non-copyable because a copy would seal different plaintext under the same nonces; each writer picks a fresh
/// salt and nonce prefix, so a new writer is a new file. Never append to an existing file: recover it instead.
public struct SealedBlobWriter: ~Copyable {
    /// The header this writer's file starts with.
    public let header: SealedBlobHeader
    private let cipher: SealedBlobSegmentCipher
    private var pending: [UInt8] = []
    private var nextCounter: UInt32 = 0
    private var headerWritten = false

    /// Starts a new file for `objectID`, with a fresh random salt and nonce prefix.
    ///
    /// - Parameters:
    ///   - dataKey: the file's 32-byte data key, already unwrapped from the KEK that `keyReference` names.
    ///   - segmentSize: plaintext bytes per segment; larger segments cost less overhead but lose more on a crash.
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
    /// that is now full. Concatenating everything `append` and `finish` return gives the file.
    public mutating func append(_ plaintext: some Collection<UInt8>) throws(SealedBlobError) -> [UInt8] {
        var out = takeHeaderIfUnwritten()
        var remaining = plaintext[...]
        while !remaining.isEmpty {
            let room = header.segmentSize - pending.count
            let piece = remaining.prefix(room)
            pending += piece
            remaining = remaining[piece.endIndex...]
            if pending.count == header.segmentSize {
                // The last segment needs a counter of its own, so a full one may not take the final counter value.
                guard nextCounter < UInt32.max else { throw .tooManySegments }
                out += try cipher.seal(pending[...], counter: nextCounter, isLast: false)
                nextCounter += 1
                pending.removeAll(keepingCapacity: true)
            }
        }
        return out
    }

    /// Seals the buffered bytes (possibly none) as the last segment and returns the bytes that end the file.
    public consuming func finish() throws(SealedBlobError) -> [UInt8] {
        var out = takeHeaderIfUnwritten()
        out += try cipher.seal(pending[...], counter: nextCounter, isLast: true)
        return out
    }

    private mutating func takeHeaderIfUnwritten() -> [UInt8] {
        guard !headerWritten else { return [] }
        headerWritten = true
        return header.encoded()
    }
}

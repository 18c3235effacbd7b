import Crypto

/// The baseline: AES-256-GCM itself over the same segment plaintexts, and nothing of the sealed-blob format: no
/// per-file key derivation, no header and descriptor as associated data, no descriptor bytes, no buffering into
/// segments. What our writer and reader cost beyond this is the format's price.
struct BareAESGCM: Sendable {
    let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// A 12-byte nonce unique per segment under one key, as ours is: a fixed prefix, then the counter.
    private static func nonce(counter: UInt32) throws -> AES.GCM.Nonce {
        var bytes: [UInt8] = [0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0, 0, 0, 0, 0]
        withUnsafeBytes(of: counter.bigEndian) { counterBytes in
            for (index, byte) in counterBytes.enumerated() { bytes[7 + index] = byte }
        }
        return try AES.GCM.Nonce(data: bytes)
    }

    /// Seals each segment and adds ciphertext ‖ tag to `sink`, syncing after each when `syncEach` (on disk, one
    /// segment per flush is what a live call's recorder writes).
    func seal(_ segments: [[UInt8]], into sink: inout SealedSink, syncEach: Bool) throws {
        for (counter, segment) in segments.enumerated() {
            let box = try AES.GCM.seal(segment, using: key, nonce: Self.nonce(counter: UInt32(counter)))
            sink.add(box.ciphertext)
            sink.add(box.tag)
            if syncEach { try sink.sync() }
        }
        if !syncEach { try sink.sync() }
    }

    /// Opens records sealed by `seal` (ciphertext ‖ tag, one per entry of `lengths`, the plaintext lengths) and
    /// appends their plaintext to `plaintext`.
    func open(_ sealed: [UInt8], lengths: [Int], into plaintext: inout [UInt8]) throws {
        var offset = 0
        for (counter, length) in lengths.enumerated() {
            let tagStart = offset + length
            let box = try AES.GCM.SealedBox(
                nonce: Self.nonce(counter: UInt32(counter)),
                ciphertext: sealed[offset..<tagStart], tag: sealed[tagStart..<(tagStart + 16)])
            plaintext += try AES.GCM.open(box, using: key)
            offset = tagStart + 16
        }
    }
}

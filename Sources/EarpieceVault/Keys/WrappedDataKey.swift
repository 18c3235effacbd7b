/// A data key sealed under a tenant's KEK, in the serialized form of `docs/key-hierarchy.md`:
/// `01 ‖ u32be(KEK version) ‖ nonce (12) ‖ ciphertext (32) ‖ tag (16)`, 65 bytes.
///
/// The bytes are safe to store beside the blob's metadata; only the KEK opens them. Its `description` names the
/// KEK version only.
public struct WrappedDataKey: Sendable, Hashable, CustomStringConvertible {
    /// The serialized form's version byte.
    public static let formatVersion: UInt8 = 1
    static let nonceLength = 12
    static let tagLength = 16
    static let dataKeyLength = 32
    /// The length of the serialized form.
    public static let encodedLength = 1 + 4 + nonceLength + dataKeyLength + tagLength

    /// The serialized bytes.
    public let bytes: [UInt8]

    /// Parses the serialized form; checks its length and version byte, not its authenticity.
    public init(bytes: some Collection<UInt8>) throws(DataKeyError) {
        let bytes = Array(bytes)
        guard bytes.count == Self.encodedLength else {
            throw .malformedWrappedKey("\(bytes.count) bytes, not \(Self.encodedLength)")
        }
        guard bytes[0] == Self.formatVersion else {
            throw .malformedWrappedKey("format version \(bytes[0]) is not \(Self.formatVersion); upgrade Earpiece")
        }
        self.bytes = bytes
    }

    init(kekVersion: UInt32, nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
        bytes = Self.header(kekVersion: kekVersion) + nonce + ciphertext + tag
    }

    /// The KEK version that wrapped the data key (and that unwrapping uses).
    public var kekVersion: UInt32 {
        bytes[1...4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    var header: ArraySlice<UInt8> { bytes[0..<5] }
    var nonce: ArraySlice<UInt8> { bytes[5..<(5 + Self.nonceLength)] }
    var ciphertext: ArraySlice<UInt8> { bytes[(5 + Self.nonceLength)..<(Self.encodedLength - Self.tagLength)] }
    var tag: ArraySlice<UInt8> { bytes[(Self.encodedLength - Self.tagLength)...] }

    static func header(kekVersion: UInt32) -> [UInt8] {
        [formatVersion] + withUnsafeBytes(of: kekVersion.bigEndian) { Array($0) }
    }

    public var description: String { "WrappedDataKey(kekVersion: \(kekVersion), <redacted>)" }
}

/// Why an intent model's weights file was refused; each case says what is wrong with the file.
public enum IntentModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(path: String, reason: String)
    /// The file is larger than any model this build accepts.
    case tooLarge(bytes: Int, limit: Int)
    /// The file does not start with the model's magic bytes.
    case notAModelFile
    /// The file's format version is one this build does not know.
    case unsupportedVersion(UInt32)
    /// The file ends before the sizes in its header say it should.
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// The file carries bytes after its checksum.
    case trailingBytes(expectedBytes: Int, actualBytes: Int)
    /// A dimension in the header is out of the accepted range.
    case invalidDimension(name: String, value: UInt32)
    /// The class names are not exactly the eight intents and "none".
    case invalidClassNames(String)
    /// The CRC-32 at the end of the file does not match its contents.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// A weight is infinite or not a number.
    case nonFiniteWeight(array: String)
    /// The word vectors' keys are not strictly ascending, so lookups could not find them.
    case unorderedWordKeys(index: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read the intent model at \(path): \(reason)"
        case .tooLarge(let bytes, let limit):
            "the intent model file has \(bytes) bytes, over the limit of \(limit); is it the right file?"
        case .notAModelFile:
            "not an intent model file (wrong magic bytes); point the configuration at Models/intent-model.bin"
        case .unsupportedVersion(let version):
            "intent model format version \(version) is not supported by this build (it reads version \(IntentModel.formatVersion)); retrain or upgrade"
        case .truncated(let expected, let actual):
            "the intent model file is truncated: \(actual) bytes, its header promises \(expected)"
        case .trailingBytes(let expected, let actual):
            "the intent model file has \(actual - expected) unexpected bytes after its checksum"
        case .invalidDimension(let name, let value):
            "the intent model's \(name) is \(value), out of the accepted range"
        case .invalidClassNames(let reason):
            "the intent model's classes are not the product's intents: \(reason)"
        case .checksumMismatch(let stored, let computed):
            "the intent model file is corrupted: CRC-32 \(hex(computed)) does not match the stored \(hex(stored))"
        case .nonFiniteWeight(let array):
            "the intent model's \(array) holds a non-finite number"
        case .unorderedWordKeys(let index):
            "the intent model's word keys are out of order at word \(index); the file was not written by train.py"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

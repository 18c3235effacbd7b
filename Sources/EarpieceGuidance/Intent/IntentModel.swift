import Foundation

/// The intent classifier's weights, read once from `Models/intent-model.bin` and shared by every call's windows.
///
/// Immutable after loading; `IntentWindow` does the per-speaker work. The file format is specified in
/// `docs/intent-model.md`; every field is checked here, so a damaged or hostile file is refused, never trusted.
public struct IntentModel: Sendable {
    /// The format version this build reads.
    public static let formatVersion: UInt32 = 2
    /// Files over this size are refused before they are read (the shipped model is about 6 MB).
    public static let maximumFileBytes = 64 << 20

    static let magic: [UInt8] = Array("EPINTENT".utf8)
    static let headerBytes = 8 + 6 * 4

    /// Rows of the hashed feature table (a power of two).
    public let bucketCount: Int
    /// Width of the hidden layer.
    public let hiddenCount: Int
    /// How many of the utterance's last words the model looks at.
    public let windowWords: Int
    /// The seed mixed into every feature hash.
    public let hashSeed: UInt32

    /// Feature rows, `bucketCount × hiddenCount`, row-major.
    let embedding: [Float]
    let hiddenBias: [Float]
    /// Output rows in class order (`Intent.allCases`, then none), whatever order the file lists them in.
    let outputWeights: [Float]
    let outputBias: [Float]
    /// Per intent, in `Intent.allCases` order.
    let thresholds: [Float]
    let seededState: UInt32
    let startState: UInt32

    /// Width of the distilled word vectors (docs/intent-model.md, "Word vectors").
    public let vectorDimensions: Int
    /// The unigram hash state of each word that has a vector, ascending.
    let wordKeys: [UInt32]
    /// Each word's vector already carried into the hidden layer by the learnt projection P (`wordKeys.count ×
    /// hiddenCount`, in the keys' order). P · mean(v) = mean(P · v), so a window sums these rows like its feature
    /// rows, and an update never pays for the projection (computed once here, at load).
    let projectedVectors: [Float]
    /// Trained parameters in the file (the projection; the word vectors are fixed, not trained).
    private let projectionCount: Int

    /// Reads and checks a weights file.
    public init(contentsOf url: URL) throws(IntentModelError) {
        let path = url.path
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
                throw IntentModelError.unreadable(path: path, reason: "not a regular file")
            }
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch let error as IntentModelError {
            throw error
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        guard size <= Self.maximumFileBytes else { throw .tooLarge(bytes: size, limit: Self.maximumFileBytes) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(path: path, reason: error.localizedDescription) }
        try self.init(bytes: [UInt8](data))
    }

    /// Checks and decodes the bytes of a weights file.
    public init(bytes: [UInt8]) throws(IntentModelError) {
        guard bytes.count <= Self.maximumFileBytes else {
            throw .tooLarge(bytes: bytes.count, limit: Self.maximumFileBytes)
        }
        guard bytes.count >= Self.magic.count, bytes.prefix(Self.magic.count).elementsEqual(Self.magic) else {
            throw .notAModelFile
        }
        var reader = LittleEndianReader(bytes: bytes, offset: Self.magic.count)
        guard let version = reader.uint32() else {
            throw .truncated(expectedBytes: Self.headerBytes, actualBytes: bytes.count)
        }
        guard version == Self.formatVersion else { throw .unsupportedVersion(version) }
        guard let buckets = reader.uint32(), let hidden = reader.uint32(), let classes = reader.uint32(),
              let window = reader.uint32(), let seed = reader.uint32()
        else { throw .truncated(expectedBytes: Self.headerBytes, actualBytes: bytes.count) }

        guard buckets >= 16, buckets <= 1 << 24, buckets & (buckets - 1) == 0 else {
            throw .invalidDimension(name: "bucket count", value: buckets)
        }
        guard (1...1_024).contains(hidden) else { throw .invalidDimension(name: "hidden width", value: hidden) }
        guard classes == UInt32(IntentModel.classCount) else {
            throw .invalidDimension(name: "class count", value: classes)
        }
        // One word would leave no pair to slide; the window needs at least two.
        guard (2...256).contains(window) else { throw .invalidDimension(name: "window size", value: window) }

        // File class order → class order.
        var fileIndexOfClass = [Int](repeating: -1, count: IntentModel.classCount)
        for fileIndex in 0..<Int(classes) {
            guard let length = reader.uint8() else {
                throw .truncated(expectedBytes: reader.offset + 1, actualBytes: bytes.count)
            }
            guard let nameBytes = reader.bytes(Int(length)) else {
                throw .truncated(expectedBytes: reader.offset + Int(length), actualBytes: bytes.count)
            }
            let name = String(decoding: nameBytes, as: UTF8.self)
            let index: Int
            if name == "none" {
                index = IntentModel.noneClassIndex
            } else if let intent = Intent(rawValue: name) {
                index = IntentModel.classIndex(of: intent)
            } else {
                throw .invalidClassNames("unknown class \"\(name.prefix(64))\"")
            }
            guard fileIndexOfClass[index] < 0 else { throw .invalidClassNames("\"\(name)\" is listed twice") }
            fileIndexOfClass[index] = fileIndex
        }

        let rows = Int(buckets), width = Int(hidden), classCount = Int(classes)
        let arraysBytes = rows * width * 2 + width * 4 + classCount * width * 4 + classCount * 4 + classCount * 4
        // The word vectors' two counts follow the arrays; the sizes they imply are checked before any array is read.
        var vectorsReader = LittleEndianReader(bytes: bytes, offset: reader.offset + arraysBytes)
        guard let dimensions = vectorsReader.uint32(), let wordCount = vectorsReader.uint32() else {
            throw .truncated(expectedBytes: reader.offset + arraysBytes + 8 + 4, actualBytes: bytes.count)
        }
        guard (1...1_024).contains(dimensions) else { throw .invalidDimension(name: "word vector width", value: dimensions) }
        guard wordCount <= 1 << 20 else { throw .invalidDimension(name: "word count", value: wordCount) }
        let vectorsBytes = 8 + Int(wordCount) * (4 + Int(dimensions) * 2) + width * Int(dimensions) * 4
        let expected = reader.offset + arraysBytes + vectorsBytes + 4
        guard bytes.count >= expected else { throw .truncated(expectedBytes: expected, actualBytes: bytes.count) }
        guard bytes.count == expected else { throw .trailingBytes(expectedBytes: expected, actualBytes: bytes.count) }
        let stored = UInt32(bytes[expected - 4]) | UInt32(bytes[expected - 3]) << 8
            | UInt32(bytes[expected - 2]) << 16 | UInt32(bytes[expected - 1]) << 24
        let computed = IntentModelChecksum.crc32(bytes[0..<(expected - 4)])
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }

        // Sizes were checked above, so the reads below cannot run short.
        let embedding = reader.halfFloats(rows * width)
        let hiddenBias = reader.floats(width)
        let fileOutputWeights = reader.floats(classCount * width)
        let fileOutputBias = reader.floats(classCount)
        let fileThresholds = reader.floats(classCount)
        _ = reader.uint32()  // the two counts, read above
        _ = reader.uint32()
        var wordKeys = [UInt32](repeating: 0, count: Int(wordCount))
        for index in wordKeys.indices { wordKeys[index] = reader.uint32() ?? 0 }
        for index in wordKeys.indices.dropFirst() where wordKeys[index - 1] >= wordKeys[index] {
            throw .unorderedWordKeys(index: index)
        }
        let wordVectors = reader.halfFloats(Int(wordCount) * Int(dimensions))
        let projection = reader.floats(width * Int(dimensions))
        for (name, array) in [("embedding", embedding), ("hidden bias", hiddenBias),
                              ("output weights", fileOutputWeights), ("output bias", fileOutputBias),
                              ("thresholds", fileThresholds), ("word vectors", wordVectors),
                              ("projection", projection)] where !array.allSatisfy(\.isFinite) {
            throw .nonFiniteWeight(array: name)
        }

        var outputWeights = [Float](repeating: 0, count: classCount * width)
        var outputBias = [Float](repeating: 0, count: classCount)
        var thresholds = [Float](repeating: 0, count: classCount - 1)
        for index in 0..<classCount {
            let source = fileIndexOfClass[index]
            for unit in 0..<width { outputWeights[index * width + unit] = fileOutputWeights[source * width + unit] }
            outputBias[index] = fileOutputBias[source]
            if index < classCount - 1 { thresholds[index] = fileThresholds[source] }
        }

        bucketCount = rows
        hiddenCount = width
        windowWords = Int(window)
        hashSeed = seed
        self.embedding = embedding
        self.hiddenBias = hiddenBias
        self.outputWeights = outputWeights
        self.outputBias = outputBias
        self.thresholds = thresholds
        seededState = IntentFeatureHash.seeded(seed)
        startState = IntentFeatureHash.startMarker(seeded: seededState)
        vectorDimensions = Int(dimensions)
        self.wordKeys = wordKeys
        projectedVectors = Self.project(wordVectors, through: projection, words: wordKeys.count, width: width,
                                        dimensions: Int(dimensions))
        projectionCount = projection.count
    }

    /// Row w of the result is P · vector w.
    private static func project(_ vectors: [Float], through projection: [Float], words: Int, width: Int, dimensions: Int) -> [Float] {
        var projected = [Float](repeating: 0, count: words * width)
        vectors.withUnsafeBufferPointer { vectors in
            projection.withUnsafeBufferPointer { projection in
                projected.withUnsafeMutableBufferPointer { projected in
                    for word in 0..<words {
                        let vector = word * dimensions
                        for unit in 0..<width {
                            let row = unit * dimensions
                            var total: Float = 0
                            for dimension in 0..<dimensions { total += projection[row + dimension] * vectors[vector + dimension] }
                            projected[word * width + unit] = total
                        }
                    }
                }
            }
        }
        return projected
    }

    /// Where the projected vector of the word whose unigram hash state is `key` starts in `projectedVectors`, or -1 when the word
    /// has none. A binary search: no allocation.
    func vectorRow(forKey key: UInt32) -> Int {
        var low = 0, high = wordKeys.count
        while low < high {
            let middle = (low + high) / 2
            if wordKeys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < wordKeys.count && wordKeys[low] == key ? low * hiddenCount : -1
    }

    /// How many words have a vector.
    public var vectorWordCount: Int { wordKeys.count }

    /// Classes the model scores: the eight intents in `Intent.allCases` order, then none.
    public static let classCount = Intent.allCases.count + 1
    /// Where none sits in a probabilities array.
    public static let noneClassIndex = Intent.allCases.count

    /// Classes the model scores (the eight intents, then none).
    public var classCount: Int { Self.classCount }

    /// Where an intent's probability sits in the arrays `IntentWindow.probabilities(into:)` fills.
    public static func classIndex(of intent: Intent) -> Int {
        switch intent {
        case .pricingObjection: 0
        case .competitorMention: 1
        case .timingObjection: 2
        case .authorityObjection: 3
        case .nextStep: 4
        case .buyingSignal: 5
        case .churnRisk: 6
        case .securityConcern: 7
        }
    }

    /// Where an intent's probability sits in the arrays `IntentWindow.probabilities(into:)` fills.
    public func classIndex(of intent: Intent) -> Int { Self.classIndex(of: intent) }

    /// The probability at which an intent fires, chosen on held-out templates when the model was trained.
    public func threshold(for intent: Intent) -> Float { thresholds[Self.classIndex(of: intent)] }

    /// The intent that probabilities show: the most probable class, if it is an intent that reaches its threshold.
    public func firingIntent(in probabilities: [Float]) -> Intent? {
        guard probabilities.count == Self.classCount else { return nil }
        var best = Self.noneClassIndex
        for index in probabilities.indices where probabilities[index] > probabilities[best] { best = index }
        guard best != Self.noneClassIndex else { return nil }
        let intent = Intent.allCases[best]
        return probabilities[best] >= threshold(for: intent) ? intent : nil
    }

    /// The number of trained parameters.
    public var parameterCount: Int {
        embedding.count + hiddenBias.count + outputWeights.count + outputBias.count + projectionCount
    }
}

/// Bounds-checked little-endian reads over a file's bytes.
private struct LittleEndianReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func uint8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() -> UInt32? {
        guard bytes.count - offset >= 4 else { return nil }
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }

    mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func floats(_ count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        for index in 0..<count { out[index] = Float(bitPattern: uint32() ?? 0) }
        return out
    }

    mutating func halfFloats(_ count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let bits = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
            offset += 2
            out[index] = Self.float(fromHalf: bits)
        }
        return out
    }

    /// IEEE 754 binary16 → binary32, exactly (every half value is a float value). Written out because
    /// `Float16` is unavailable on some platforms Swift targets.
    static func float(fromHalf bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0: return sign * Float(mantissa) * 0x1p-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default:
            return Float(bitPattern: UInt32(bits & 0x8000) << 16 | UInt32(exponent - 15 + 127) << 23 | mantissa << 13)
        }
    }
}

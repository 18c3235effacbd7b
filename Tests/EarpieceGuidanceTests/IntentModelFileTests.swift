import Foundation
import Testing

@testable import EarpieceGuidance

/// The shipped weights and the vectors `Models/train.py` wrote beside them.
enum ShippedIntentModel {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Models")
    static let url = directory.appendingPathComponent("intent-model.bin")
    static let model: IntentModel? = try? IntentModel(contentsOf: url)

    static func load() throws -> IntentModel { try IntentModel(contentsOf: url) }
    static func bytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}

/// Offsets in a version 2 file with the shipped model's class names.
private enum Layout {
    static let version = 8
    static let buckets = 12
    static let hidden = 16
    static let classes = 20
    static let window = 24
    static let names = 32
    static let namesEnd = names + Intent.allCases.map { $0.rawValue.utf8.count + 1 }.reduce(5, +)

    /// Where each array of `model`'s file starts.
    struct Arrays {
        let thresholds: Int, vectorCounts: Int, keys: Int, vectors: Int, projection: Int, checksum: Int
        init(_ model: IntentModel) {
            let width = model.hiddenCount, words = model.vectorWordCount, dimensions = model.vectorDimensions
            thresholds = namesEnd + model.bucketCount * width * 2 + width * 4 + 9 * width * 4 + 9 * 4
            vectorCounts = thresholds + 9 * 4
            keys = vectorCounts + 8
            vectors = keys + words * 4
            projection = vectors + words * dimensions * 2
            checksum = projection + width * dimensions * 4
        }
    }
}

/// Rewrites the CRC-32 trailer so that a deliberate header change is what the loader sees, not a checksum failure.
private func resealed(_ bytes: [UInt8]) -> [UInt8] {
    var bytes = bytes
    let crc = IntentModelChecksum.crc32(bytes[0..<(bytes.count - 4)])
    for index in 0..<4 { bytes[bytes.count - 4 + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
    return bytes
}

private func setUInt32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
    for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
}

private func refusal(_ bytes: [UInt8]) -> IntentModelError? {
    do {
        _ = try IntentModel(bytes: bytes)
        return nil
    } catch {
        return error
    }
}

@Suite("Intent model weights file")
struct IntentModelFileTests {
    @Test func theShippedWeightsLoadWithTheDocumentedShape() throws {
        let model = try ShippedIntentModel.load()
        #expect(model.bucketCount == 16_384)
        #expect(model.hiddenCount == 96)
        #expect(model.windowWords == 16)
        #expect(model.classCount == 9)
        #expect(model.vectorDimensions == 64)
        #expect(model.vectorWordCount > 10_000)
        #expect(model.parameterCount == 16_384 * 96 + 96 + 9 * 96 + 9 + 96 * 64)
        #expect(Layout.Arrays(model).checksum == (try ShippedIntentModel.bytes()).count - 4)
        for intent in Intent.allCases {
            #expect(model.threshold(for: intent) > 0.2 && model.threshold(for: intent) < 1)
            #expect(Intent.allCases[model.classIndex(of: intent)] == intent)
        }
    }

    @Test func aFileThatIsNotAModelIsRefusedByItsMagic() throws {
        #expect(refusal([]) == .notAModelFile)
        #expect(refusal(Array("EPINTEN".utf8)) == .notAModelFile)
        var bytes = try ShippedIntentModel.bytes()
        bytes[0] = UInt8(ascii: "X")
        #expect(refusal(bytes) == .notAModelFile)
        #expect(refusal(Array("{\"weights\": []}".utf8)) == .notAModelFile)
    }

    @Test func anotherFormatVersionIsRefusedBeforeAnythingElseIsRead() throws {
        var bytes = try ShippedIntentModel.bytes()
        for version: UInt32 in [1, 3] {
            setUInt32(version, at: Layout.version, in: &bytes)
            #expect(refusal(bytes) == .unsupportedVersion(version))
            #expect(refusal(Array(bytes[0..<12])) == .unsupportedVersion(version))
        }
    }

    @Test func everyTruncationIsRefusedAsTruncated() throws {
        let bytes = try ShippedIntentModel.bytes()
        for length in [9, 12, 20, 31, 32, 40, 100, 1_000, bytes.count / 2, bytes.count - 5, bytes.count - 1] {
            guard case .truncated(let expected, let actual)? = refusal(Array(bytes[0..<length])) else {
                Issue.record("a file cut to \(length) bytes was not refused as truncated")
                continue
            }
            #expect(actual == length)
            #expect(expected > length)
        }
    }

    @Test func bytesAfterTheChecksumAreRefused() throws {
        let bytes = try ShippedIntentModel.bytes()
        #expect(refusal(bytes + [0]) == .trailingBytes(expectedBytes: bytes.count, actualBytes: bytes.count + 1))
    }

    @Test func aFlippedBitAnywhereInTheWeightsFailsTheChecksum() throws {
        let original = try ShippedIntentModel.bytes()
        for offset in [5_000, 600_000, original.count / 2, original.count - 40, original.count - 1] {
            var bytes = original
            bytes[offset] ^= 0x10
            guard case .checksumMismatch? = refusal(bytes) else {
                Issue.record("a flipped bit at \(offset) was not refused by the checksum")
                continue
            }
        }
    }

    @Test func dimensionsOutOfRangeAreRefusedEvenWithAValidChecksum() throws {
        let original = try ShippedIntentModel.bytes()
        let cases: [(offset: Int, value: UInt32, name: String)] = [
            (Layout.buckets, 16_383, "bucket count"), (Layout.buckets, 0, "bucket count"),
            (Layout.buckets, 1 << 30, "bucket count"), (Layout.hidden, 0, "hidden width"),
            (Layout.hidden, 4_096, "hidden width"), (Layout.classes, 8, "class count"),
            (Layout.classes, .max, "class count"), (Layout.window, 0, "window size"),
            (Layout.window, 1, "window size"), (Layout.window, 10_000, "window size"),
        ]
        for (offset, value, name) in cases {
            var bytes = original
            setUInt32(value, at: offset, in: &bytes)
            #expect(refusal(resealed(bytes)) == .invalidDimension(name: name, value: value))
        }
    }

    @Test func hugeDimensionsWithinRangeAreRefusedAsTruncatedWithoutAllocating() throws {
        var bytes = try ShippedIntentModel.bytes()
        setUInt32(1 << 24, at: Layout.buckets, in: &bytes)
        setUInt32(1_024, at: Layout.hidden, in: &bytes)
        guard case .truncated(let expected, _)? = refusal(resealed(bytes)) else {
            Issue.record("a header promising gigabytes was not refused as truncated")
            return
        }
        #expect(expected > 30_000_000_000)
    }

    @Test func classNamesMustBeExactlyTheIntentsAndNone() throws {
        let original = try ShippedIntentModel.bytes()
        // The first name is "pricing_objection" (17 bytes) in the shipped file.
        #expect(original[Layout.names] == 17)
        var unknown = original
        unknown[Layout.names + 1] = UInt8(ascii: "q")
        #expect(refusal(resealed(unknown)) == .invalidClassNames("unknown class \"qricing_objection\""))

        // "competitor_mention" renamed to a second "pricing_objection"-length name is a duplicate or unknown.
        var duplicate = original
        let second = Layout.names + 1 + 17
        #expect(duplicate[second] == 18)
        let replacement = Array("pricing_objection_".utf8)
        for index in 0..<18 { duplicate[second + 1 + index] = replacement[index] }
        #expect(refusal(resealed(duplicate)) == .invalidClassNames("unknown class \"pricing_objection_\""))
    }

    @Test func aNonFiniteWeightIsRefused() throws {
        let original = try ShippedIntentModel.bytes()
        let arrays = Layout.Arrays(try ShippedIntentModel.load())
        for (offset, name) in [(arrays.thresholds + 8, "thresholds"), (arrays.projection, "projection"),
                               (arrays.checksum - 4, "projection")] {
            var bytes = original
            setUInt32(0x7FC0_0000, at: offset, in: &bytes)  // a NaN
            #expect(refusal(resealed(bytes)) == .nonFiniteWeight(array: name))
        }
        for (offset, name) in [(Layout.namesEnd, "embedding"), (arrays.vectors + 2, "word vectors")] {
            var bytes = original
            bytes[offset] = 0x00
            bytes[offset + 1] = 0x7C  // half-precision infinity
            #expect(refusal(resealed(bytes)) == .nonFiniteWeight(array: name))
        }
    }

    @Test func wordKeysOutOfOrderOrVectorSizesOutOfRangeAreRefused() throws {
        let original = try ShippedIntentModel.bytes()
        let model = try ShippedIntentModel.load()
        let arrays = Layout.Arrays(model)
        var swapped = original
        for index in 0..<4 { swapped.swapAt(arrays.keys + 40 + index, arrays.keys + 44 + index) }
        #expect(refusal(resealed(swapped)) == .unorderedWordKeys(index: 11))
        for (offset, value, name) in [(arrays.vectorCounts, UInt32(0), "word vector width"),
                                      (arrays.vectorCounts, 4_096, "word vector width"),
                                      (arrays.vectorCounts + 4, 1 << 21, "word count")] {
            var bytes = original
            setUInt32(value, at: offset, in: &bytes)
            #expect(refusal(resealed(bytes)) == .invalidDimension(name: name, value: value))
        }
        var more = original
        setUInt32(UInt32(model.vectorWordCount + 1), at: arrays.vectorCounts + 4, in: &more)
        guard case .truncated? = refusal(resealed(more)) else {
            Issue.record("a word count the file does not hold was not refused as truncated")
            return
        }
    }

    @Test func classesListedInAnotherOrderScoreTheSame() throws {
        // Swap the first two classes' names, output rows, biases and thresholds: the loader maps them back.
        let original = try ShippedIntentModel.bytes()
        let model = try IntentModel(bytes: original)
        let namesEnd = Layout.namesEnd
        var bytes = Array(original[0..<Layout.names])
        bytes += [18] + Array("competitor_mention".utf8) + [17] + Array("pricing_objection".utf8)
        bytes += original[(Layout.names + 1 + 17 + 1 + 18)..<namesEnd]
        let width = model.hiddenCount, rows = model.bucketCount
        let tables = namesEnd + rows * width * 2 + width * 4
        bytes += original[namesEnd..<tables]
        let outputRow = width * 4
        bytes += original[(tables + outputRow)..<(tables + 2 * outputRow)]
        bytes += original[tables..<(tables + outputRow)]
        bytes += original[(tables + 2 * outputRow)..<(tables + 9 * outputRow)]
        for array in 0..<2 {
            let start: Int = tables + 9 * outputRow + array * 36
            bytes += original[(start + 4)..<(start + 8)]
            bytes += original[start..<(start + 4)]
            bytes += original[(start + 8)..<(start + 36)]
        }
        bytes += original[Layout.Arrays(model).vectorCounts..<(original.count - 4)]
        bytes += [0, 0, 0, 0]
        let swapped = try IntentModel(bytes: resealed(bytes))
        var expected = IntentWindow(model: model), actual = IntentWindow(model: swapped)
        for word in "we're evaluating acme and the price is too high".split(separator: " ") {
            expected.append(word)
            actual.append(word)
        }
        var want: [Float] = [], got: [Float] = []
        expected.probabilities(into: &want)
        actual.probabilities(into: &got)
        #expect(want == got)
        #expect(swapped.threshold(for: .pricingObjection) == model.threshold(for: .pricingObjection))
    }

    @Test func seededRandomDamageIsAlwaysRefusedAndNeverCrashes() throws {
        let original = try ShippedIntentModel.bytes()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<200 {
            var bytes = original
            switch next() % 3 {
            case 0: bytes[next() % bytes.count] ^= UInt8(truncatingIfNeeded: 1 + next() % 255)
            case 1: bytes.removeLast(1 + next() % 2_000)
            default: for _ in 0..<8 { bytes[next() % 64] = UInt8(truncatingIfNeeded: next()) }
            }
            if bytes == original { continue }
            #expect(refusal(bytes) != nil)
        }
    }

    @Test func missingFilesAndFoldersAreUnreadable() {
        let missing = URL(fileURLWithPath: "/nonexistent/intent-model.bin")
        #expect(throws: IntentModelError.self) { try IntentModel(contentsOf: missing) }
        do {
            _ = try IntentModel(contentsOf: URL(fileURLWithPath: NSTemporaryDirectory()))
            Issue.record("a folder was accepted as a weights file")
        } catch {
            guard case .unreadable = error else { Issue.record("a folder was refused as \(error)"); return }
        }
    }

    @Test func errorsSayWhatToDo() {
        #expect(IntentModelError.checksumMismatch(stored: 1, computed: 0xABCD).description
            == "the intent model file is corrupted: CRC-32 0x0000abcd does not match the stored 0x00000001")
        #expect(IntentModelError.unsupportedVersion(7).description.contains("retrain or upgrade"))
    }
}

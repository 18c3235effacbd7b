import Testing

@testable import EarpieceVault

@Suite("Randomly mutated sealed blobs never open as something they are not")
struct SealedBlobMutationFuzzTests {
    /// A sealed file and what it holds.
    private struct Sample {
        var sealed: [UInt8]
        var plaintext: [UInt8]
        var records: SealedBlobRecords
    }

    static let seed: UInt64 = 0x5EA1_B10B
    static let iterations = 3000

    /// Files under one data key with random segment sizes and flush points; pairs share a salt under different
    /// object ids and several share an object id under different salts, so that splices mix close relatives.
    private static func pool(using random: inout SealedBlobSeededRandom) throws -> [Sample] {
        var samples: [Sample] = []
        var salt: [UInt8] = []
        for index in 0..<16 {
            if index % 2 == 0 { salt = random.bytes(32) }
            let segmentSize = [16, 24, 32][index % 3]
            let plan = SealedBlobWritePlan.random(
                total: Int.random(in: 0...300, using: &random), maximumAppend: 50,
                flushChance: Double.random(in: 0...0.8, using: &random), using: &random)
            let plaintext = random.bytes(plan.plaintextCount)
            let header = try SealedBlobHeader(
                segmentSize: segmentSize, salt: salt, noncePrefix: random.bytes(7), objectID: "rec_fuzz_\(index % 4)",
                keyReference: try Vector.keyReference())
            let sealed = try plan.seal(plaintext, header: header, dataKey: Vector.dataKey)
            samples.append(Sample(sealed: sealed, plaintext: plaintext, records: try SealedBlobRecords(sealed)))
        }
        return samples
    }

    @Test func mutatedFilesEitherOpenUnchangedOrFailAndRecoverOnlyAnAuthenticPrefix() throws {
        var random = SealedBlobSeededRandom(seed: Self.seed)
        let samples = try Self.pool(using: &random)
        var refused = 0
        var failureKinds = Set<String>()
        for iteration in 0..<Self.iterations {
            let original = Int.random(in: samples.indices, using: &random)
            var mutated = samples[original].sealed
            var applied: [String] = []
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                applied.append(Self.mutate(&mutated, samples: samples, using: &random))
            }
            let context: Comment = "seed \(Self.seed), iteration \(iteration), sample \(original): \(applied)"
            // The file whose header the mutant starts with, if any: only its segments can authenticate.
            let origin = samples.first { mutated.starts(with: $0.records.header) }
            let unchanged = samples.first { $0.sealed == mutated }

            do {
                let opened = try SealedBlobReader.open(mutated, dataKey: Vector.dataKey)
                #expect(unchanged != nil && opened == unchanged?.plaintext, context)
            } catch {
                refused += 1
                failureKinds.insert(Mirror(reflecting: error).children.first?.label ?? "\(error)")
                #expect(unchanged == nil, "\(error); \(context)")
            }

            let recovered = SealedBlobReader.recover(mutated, dataKey: Vector.dataKey)
            #expect(recovered.isComplete == (unchanged != nil), context)
            if let origin {
                #expect(recovered.authenticSegments <= origin.records.records.count, context)
                let boundary = origin.records.plaintextBoundaries[min(
                    recovered.authenticSegments, origin.records.records.count)]
                #expect(recovered.plaintext == Array(origin.plaintext.prefix(boundary)), context)
            } else {
                #expect(recovered.plaintext.isEmpty && recovered.authenticSegments == 0, context)
            }
            try Self.expectIncrementalReadingAgrees(mutated, with: recovered, using: &random, context)
        }
        // Most mutations change the file; the few that undo themselves must still open.
        #expect(refused > Self.iterations * 9 / 10)
        // The mutations reach every way a file's body can fail, not just the tag check.
        let bodyFailures: Set = [
            "authenticationFailed", "segmentLengthOutOfRange", "emptySegmentBeforeLast", "missingLastSegment",
            "truncatedSegment", "bytesAfterLastSegment",
        ]
        #expect(bodyFailures.isSubset(of: failureKinds), "reached \(failureKinds.sorted()), refused \(refused)")
        #expect(failureKinds.count > bodyFailures.count, "no header failure among \(failureKinds.sorted())")
    }

    /// Feeds `sealed` to an incremental reader in random pieces: it must hand out exactly what recovery keeps and
    /// fail exactly when recovery stops early.
    private static func expectIncrementalReadingAgrees(
        _ sealed: [UInt8], with recovered: SealedBlobRecovery, using random: inout SealedBlobSeededRandom,
        _ context: Comment
    ) throws {
        guard let header = try? SealedBlobHeader.parse(sealed) else { return }
        var reader = try SealedBlobReader(header: header, dataKey: Vector.dataKey)
        var out: [UInt8] = []
        var offset = header.encodedLength
        var failure: SealedBlobError?
        do throws(SealedBlobError) {
            while offset < sealed.count {
                let end = min(offset + Int.random(in: 0...64, using: &random), sealed.count)
                reader.push(sealed[offset..<end])
                offset = end
                while let segment = try reader.nextSegment() { out += segment }
            }
            out += try reader.finish()
        } catch {
            failure = error
        }
        #expect(out == recovered.plaintext, context)
        switch (failure, recovered.stopReason) {
        case (.bytesAfterLastSegment, .bytesAfterLastSegment?):
            break  // the count is of the bytes seen when the reader noticed, which depends on the pieces
        case (let incremental, let whole):
            #expect(incremental == whole, context)
        }
    }

    /// Applies one random mutation to `bytes` and describes it.
    private static func mutate(
        _ bytes: inout [UInt8], samples: [Sample], using random: inout SealedBlobSeededRandom
    ) -> String {
        let kind = Int.random(in: 0..<9, using: &random)
        if kind >= 6, var parts = try? SealedBlobRecords(bytes), !parts.records.isEmpty {
            let description = mutateRecords(&parts, kind: kind, using: &random)
            bytes = parts.joined
            return description
        }
        if kind == 5 {
            // A prefix of this file and a suffix of another, cut at record boundaries half the time.
            let other = samples[Int.random(in: samples.indices, using: &random)]
            let here = cutPoint(in: bytes, records: try? SealedBlobRecords(bytes), using: &random)
            let there = cutPoint(in: other.sealed, records: other.records, using: &random)
            bytes = Array(bytes[..<here]) + other.sealed[there...]
            return "splice ..<\(here) with another file's \(there)..."
        }
        if kind == 4 || bytes.isEmpty {
            let length = Int.random(in: 0...bytes.count, using: &random)
            bytes.removeLast(bytes.count - length)
            return "truncate to \(length)"
        }
        // Byte edits, a third of them in the header, where the lengths and the segment size live.
        let inHeader = Int.random(in: 0..<3, using: &random) == 0
        let index = Int.random(in: 0..<(inHeader ? min(bytes.count, 77) : bytes.count), using: &random)
        switch kind % 4 {
        case 0:
            let bit = Int.random(in: 0..<8, using: &random)
            bytes[index] ^= UInt8(1) << UInt8(bit)
            return "flip bit \(bit) of byte \(index)"
        case 1:
            let value = UInt8.random(in: .min ... .max, using: &random)
            bytes[index] = value
            return "set byte \(index) to \(value)"
        case 2:
            let inserted = random.bytes(Int.random(in: 1...8, using: &random))
            bytes.insert(contentsOf: inserted, at: index)
            return "insert \(inserted.count) bytes at \(index)"
        default:
            let end = min(bytes.count, index + Int.random(in: 1...8, using: &random))
            bytes.removeSubrange(index..<end)
            return "delete \(index)..<\(end)"
        }
    }

    /// Drops, duplicates or swaps whole records, or rewrites a descriptor.
    private static func mutateRecords(
        _ parts: inout SealedBlobRecords, kind: Int, using random: inout SealedBlobSeededRandom
    ) -> String {
        let index = Int.random(in: parts.records.indices, using: &random)
        switch (kind, Int.random(in: 0..<3, using: &random)) {
        case (6, 0):
            parts.records.remove(at: index)
            return "drop record \(index)"
        case (6, 1):
            parts.records.insert(parts.records[index], at: index)
            return "duplicate record \(index)"
        case (6, _):
            let other = Int.random(in: parts.records.indices, using: &random)
            parts.records.swapAt(index, other)
            return "swap records \(index) and \(other)"
        default:
            let descriptor = parts.descriptors[index]
            let lengths = [
                descriptor.length + 1, max(0, descriptor.length - 1), 0, Int.random(in: 0...40, using: &random),
                Int(UInt32.random(in: 0...0x7fff_ffff, using: &random)),
            ]
            let length = lengths[Int.random(in: lengths.indices, using: &random)]
            let isLast = Bool.random(using: &random) ? descriptor.isLast : !descriptor.isLast
            parts.setDescriptor(of: index, length: length, isLast: isLast)
            return "set descriptor \(index) to \(length), last \(isLast)"
        }
    }

    private static func cutPoint(
        in bytes: [UInt8], records: SealedBlobRecords?, using random: inout SealedBlobSeededRandom
    ) -> Int {
        if let records, Bool.random(using: &random) {
            return records.recordBoundaries.randomElement(using: &random) ?? 0
        }
        return Int.random(in: 0...bytes.count, using: &random)
    }
}

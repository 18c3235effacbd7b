import Crypto

@testable import EarpieceVault

/// How a test writer feeds its plaintext: appends of given sizes, each optionally followed by a flush.
struct SealedBlobWritePlan: CustomStringConvertible {
    struct Step {
        var appendCount: Int
        var flushAfter: Bool
    }

    var steps: [Step]

    var plaintextCount: Int { steps.reduce(0) { $0 + $1.appendCount } }

    var description: String {
        steps.map { "\($0.appendCount)\($0.flushAfter ? "F" : "")" }.joined(separator: " ")
    }

    /// Appends of up to `maximumAppend` bytes until `total`, flushing after each with probability `flushChance`.
    static func random(
        total: Int, maximumAppend: Int, flushChance: Double, using random: inout SealedBlobSeededRandom
    ) -> SealedBlobWritePlan {
        var steps: [Step] = []
        var left = total
        repeat {
            let count = min(left, Int.random(in: 0...maximumAppend, using: &random))
            steps.append(Step(appendCount: count, flushAfter: Double.random(in: 0..<1, using: &random) < flushChance))
            left -= count
        } while left > 0
        return SealedBlobWritePlan(steps: steps)
    }

    /// The plaintext lengths of the segments a correct writer produces for this plan, the last included.
    func expectedSegmentLengths(segmentSize: Int) -> [Int] {
        var lengths: [Int] = []
        var pending = 0
        for step in steps {
            pending += step.appendCount
            while pending >= segmentSize {
                lengths.append(segmentSize)
                pending -= segmentSize
            }
            if step.flushAfter, pending > 0 {
                lengths.append(pending)
                pending = 0
            }
        }
        return lengths + [pending]
    }

    /// Seals `plaintext` (which must hold `plaintextCount` bytes) following the plan, and returns the file and
    /// every chunk the writer handed back, in order.
    func seal(
        _ plaintext: [UInt8], with writer: consuming SealedBlobWriter
    ) throws -> (file: [UInt8], chunks: [[UInt8]]) {
        var chunks: [[UInt8]] = []
        var offset = 0
        for step in steps {
            chunks.append(try writer.append(plaintext[offset..<offset + step.appendCount]))
            offset += step.appendCount
            if step.flushAfter { chunks.append(try writer.flush()) }
        }
        chunks.append(try writer.finish())
        return (Array(chunks.joined()), chunks)
    }

    /// Seals `plaintext` under a caller-chosen header, as only tests may.
    func seal(_ plaintext: [UInt8], header: SealedBlobHeader, dataKey: SymmetricKey) throws -> [UInt8] {
        try seal(plaintext, with: try SealedBlobWriter(header: header, dataKey: dataKey)).file
    }
}

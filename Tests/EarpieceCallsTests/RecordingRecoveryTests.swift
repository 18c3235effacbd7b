import EarpieceAudio
import EarpieceStore
import EarpieceVault
import Foundation
import Testing

@testable import EarpieceCalls

@Suite("Recovering recordings after a crash")
struct RecordingRecoveryTests {
    /// Appends `audio`, flushing after `flushed` packets only, and drops the recorder without finishing: what a
    /// crash leaves. Returns the last sequence number acknowledged, if any.
    @discardableResult
    private func crash(
        _ bench: RecordingBench, callID: String, part: Int = 0, _ audio: FixturePackets, flushed: Int, flushEvery: Int
    ) async throws -> UInt64? {
        let recorder = bench.recorder(callID: callID, part: part)
        let durable = try await bench.append(audio.slice(0..<flushed), to: recorder, flushEvery: flushEvery)
        try await bench.append(audio.slice(flushed..<audio.packets.count), to: recorder)
        return durable?.sequence
    }

    @Test func everyAcknowledgedPacketOfACrashedPartSurvivesRecovery() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 130)
        try await bench.openCall("call-1")
        let acked = try await crash(bench, callID: "call-1", audio, flushed: 100, flushEvery: 20)
        #expect(acked == audio.packets[99].sequence)
        let interrupted = try #require(try await bench.parts("call-1").first)
        #expect(interrupted.status == .open)

        let now = startOfYear
        let report = try await RecordingRecovery(storage: bench.storage, logger: bench.logger).run(now: now)

        #expect(report.parts == 1)
        let exported = try await bench.exportedPackets("call-1")
        #expect(exported.count >= 100)
        #expect(exported.count == report.packets)
        #expect(exported == Array(audio.data.prefix(exported.count)))

        let recovered = try #require(try await bench.parts("call-1").first)
        #expect(recovered.id == interrupted.id)
        #expect(recovered.status == .recovered)
        #expect(recovered.packets == report.packets)
        #expect(recovered.endedAt == now)
        #expect(recovered.path != interrupted.path)
        #expect(recovered.wrappedKey != interrupted.wrappedKey)
        #expect(!FileManager.default.fileExists(atPath: bench.path(of: interrupted)))
        #expect(FileManager.default.fileExists(atPath: bench.path(of: recovered)))

        let audit = try await bench.store.auditEvents(bench.scope, from: nil, to: nil, after: nil, limit: 10)
        #expect(audit.map(\.method) == ["RECOVER"])
        #expect(audit.first?.target == "call-1")
        #expect(audit.first?.userID == AuditEvent.systemUser)

        let again = try await RecordingRecovery(storage: bench.storage, logger: bench.logger)
            .run(now: now.adding(minutes: 1))
        #expect(again == RecordingRecovery.Report())
        #expect(try await bench.parts("call-1") == [recovered])
        #expect(try await bench.store.auditEvents(bench.scope, from: nil, to: nil, after: nil, limit: 10).count == 1)
    }

    @Test func aPartThatCrashedBeforeItsFirstFlushLeavesTheRestOfTheCallExportable() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 140)
        try await bench.openCall("call-1")
        try await bench.recordPart(audio.slice(0..<100), callID: "call-1", part: 0, endingCall: false)
        // The resumed connection's packets were never flushed, so never acknowledged: the client still has them.
        try await crash(bench, callID: "call-1", part: 1, audio.slice(100..<140), flushed: 0, flushEvery: 1)

        let report = try await RecordingRecovery(storage: bench.storage, logger: bench.logger).run()

        #expect(report == RecordingRecovery.Report(parts: 1, packets: 0))
        #expect(try await bench.parts("call-1").map(\.status) == [.complete, .recovered])
        #expect(try await bench.exportedPackets("call-1") == Array(audio.data.prefix(100)))
    }

    @Test func aPartCutAtAnyOffsetRecoversToAnAuthenticPrefixOfWhatWasSent() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 100)
        let first = audio.slice(0..<40), second = audio.slice(40..<100)
        var generator = SplitMix64(state: 0x5EED_0FF5_E7)
        var cuts: [(callID: String, offset: Int, length: Int)] = []
        for index in 0..<26 {
            let callID = "call-\(index)"
            try await bench.openCall(callID)
            try await bench.recordPart(first, callID: callID, part: 0, endingCall: false)
            try await crash(bench, callID: callID, part: 1, second, flushed: 60, flushEvery: 6)
            let part = try #require(try await bench.parts(callID).last)
            let path = bench.path(of: part)
            let length = try BlobFile.readAll(path).count
            // The edges by hand (nothing left, one byte, all but one byte, untouched), the rest anywhere.
            let offset: Int =
                switch index {
                case 0: 0
                case 1: 1
                case 2: length - 1
                case 3: length
                case 4: length / 2
                default: Int.random(in: 0..<length, using: &generator)
                }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: UInt64(offset))
            try handle.close()
            cuts.append((callID, offset, length))
        }

        let report = try await RecordingRecovery(storage: bench.storage, logger: bench.logger).run()
        #expect(report.parts == cuts.count)

        var recoveredCounts: Set<Int> = []
        for cut in cuts {
            let exported = try await bench.exportedPackets(cut.callID)
            let recovered = exported.count - first.packets.count
            #expect(
                exported == Array(audio.data.prefix(exported.count)) && recovered >= 0,
                "cut at \(cut.offset) of \(cut.length) bytes exported \(exported.count) packets that are not a prefix")
            #expect(try await bench.parts(cut.callID).last?.packets == recovered)
            recoveredCounts.insert(recovered)
        }
        // The untouched file keeps everything flushed; an empty one keeps nothing; the cuts land in between.
        #expect(recoveredCounts.contains(60))
        #expect(recoveredCounts.contains(0))
        #expect(recoveredCounts.count > 3)
    }
}

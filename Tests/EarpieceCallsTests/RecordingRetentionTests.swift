import EarpieceAudio
import EarpieceStore
import Foundation
import Testing

@testable import EarpieceCalls

@Suite("Deleting recordings under the retention policy")
struct RecordingRetentionTests {
    private func sweeper(_ bench: RecordingBench) -> RetentionSweeper {
        RetentionSweeper(storage: bench.storage, resumeWindow: .seconds(600), logger: bench.logger)
    }

    @Test func aRecordingPastItsRetentionIsShreddedUnlinkedAndAudited() async throws {
        let bench = try RecordingBench()
        try await bench.recordCall(try FixturePackets.pricingCall(first: 50), callID: "call-1", endedAt: startOfYear)
        let part = try #require(try await bench.parts("call-1").first)
        #expect(FileManager.default.fileExists(atPath: bench.path(of: part)))

        let early = try await sweeper(bench).sweep(now: startOfYear.adding(days: 29))
        #expect(early == RetentionSweeper.Report())
        #expect(try await bench.parts("call-1") == [part])

        let now = startOfYear.adding(days: 31)
        let report = try await sweeper(bench).sweep(now: now)

        #expect(report.shredded == 1)
        let shredded = try #require(try await bench.parts("call-1").first)
        #expect(shredded.wrappedKey == nil)
        #expect(shredded.status == .shredded)
        #expect(!FileManager.default.fileExists(atPath: bench.path(of: part)))
        let audit = try await bench.store.auditEvents(bench.scope, from: nil, to: nil, after: nil, limit: 10)
        #expect(audit.count == 1)
        #expect(audit.first?.method == "DELETE")
        #expect(audit.first?.userID == AuditEvent.systemUser)
        #expect(audit.first?.target == "call-1")
        #expect(audit.first?.occurredAt == now)

        #expect(try await sweeper(bench).sweep(now: now.adding(days: 1)) == RetentionSweeper.Report())
    }

    @Test func theDataKeyIsShreddedBeforeTheFileIsRemoved() async throws {
        let bench = try RecordingBench()
        try await bench.recordCall(try FixturePackets.pricingCall(first: 50), callID: "call-1", endedAt: startOfYear)
        let part = try #require(try await bench.parts("call-1").first)
        // Make the unlink fail whoever runs the test, root included: a non-empty directory where the file was.
        let path = bench.path(of: part)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path + "/blocker", withIntermediateDirectories: true)

        _ = try? await sweeper(bench).sweep(now: startOfYear.adding(days: 31))

        #expect(FileManager.default.fileExists(atPath: path + "/blocker"))
        let shredded = try #require(try await bench.parts("call-1").first)
        #expect(shredded.wrappedKey == nil)
        #expect(shredded.status == .shredded)
    }

    @Test func aRecordingOnLegalHoldIsKeptUntilTheHoldIsLifted() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 50)
        try await bench.recordCall(audio, callID: "call-1", endedAt: startOfYear)
        _ = try await bench.store.setLegalHold(bench.scope, callID: "call-1", true)
        let part = try #require(try await bench.parts("call-1").first)

        let held = try await sweeper(bench).sweep(now: startOfYear.adding(days: 400))

        #expect(held.shredded == 0)
        #expect(try await bench.parts("call-1") == [part])
        #expect(FileManager.default.fileExists(atPath: bench.path(of: part)))
        #expect(try await bench.exportedPackets("call-1") == audio.data)

        _ = try await bench.store.setLegalHold(bench.scope, callID: "call-1", false)
        #expect(try await sweeper(bench).sweep(now: startOfYear.adding(days: 400)).shredded == 1)
        #expect(!FileManager.default.fileExists(atPath: bench.path(of: part)))
    }

    @Test func shorteningThePolicyToOneDayMakesATwoDayOldRecordingDueAtTheNextSweep() async throws {
        let bench = try RecordingBench()
        try await bench.recordCall(try FixturePackets.pricingCall(first: 50), callID: "call-1", endedAt: startOfYear)
        let now = startOfYear.adding(days: 2)
        #expect(try await sweeper(bench).sweep(now: now).shredded == 0)

        _ = try await bench.store.setRetentionPolicy(
            bench.scope, try RetentionPolicy(audioDays: 1, derivedDays: 365), now: now)

        #expect(try await sweeper(bench).sweep(now: now).shredded == 1)
        #expect(try await bench.parts("call-1").map(\.status) == [.shredded])
    }

    @Test func anAbandonedCallIsEndedByTheSweepOnceItsResumeWindowHasPassed() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 80)
        try await bench.openCall("call-abandoned", startedAt: startOfYear)
        try await bench.recordPart(
            audio.slice(0..<50), callID: "call-abandoned", endingCall: false, now: startOfYear.adding(minutes: 1))
        try await bench.openCall("call-streaming", startedAt: startOfYear)
        let live = bench.recorder(callID: "call-streaming")
        try await bench.append(audio.slice(50..<80), to: live, flushEvery: 10)

        let withinWindow = try await sweeper(bench).sweep(now: startOfYear.adding(minutes: 5))
        #expect(withinWindow.endedCalls == 0)
        #expect(try await bench.store.call(bench.scope, id: "call-abandoned")?.status == .open)

        let now = startOfYear.adding(minutes: 20)
        let report = try await sweeper(bench).sweep(now: now)

        #expect(report.endedCalls == 1)
        let call = try #require(try await bench.store.call(bench.scope, id: "call-abandoned"))
        #expect(call.status == .ended)
        #expect(call.endedAt == now)
        #expect(try await bench.parts("call-abandoned").map(\.deleteAfter) == [now.adding(days: 30)])
        #expect(try await bench.store.call(bench.scope, id: "call-streaming")?.status == .open)
        #expect(try await sweeper(bench).sweep(now: now.adding(days: 30)).shredded == 1)
    }

    @Test func exportingAShreddedRecordingSaysItWasDeleted() async throws {
        let bench = try RecordingBench()
        try await bench.openCall("call-1", startedAt: startOfYear)
        let audio = try FixturePackets.pricingCall(first: 60)
        try await bench.recordPart(audio.slice(0..<30), callID: "call-1", part: 0, endingCall: false, now: startOfYear)
        try await bench.recordPart(audio.slice(30..<60), callID: "call-1", part: 1, endingCall: true, now: startOfYear)
        _ = try await sweeper(bench).sweep(now: startOfYear.adding(days: 31))

        await #expect(throws: RecordingError.deleted("call-1")) {
            try await bench.archive.exportBytes(bench.scope, callID: "call-1")
        }
    }
}

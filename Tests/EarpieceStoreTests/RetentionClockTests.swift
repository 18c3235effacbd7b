import Foundation
import Testing

@testable import EarpieceStore

@Suite("Retention clocks in the store")
struct RetentionClockTests {
    private func policy(audio: Int, derived: Int) throws -> RetentionPolicy {
        try RetentionPolicy(audioDays: audio, derivedDays: derived)
    }

    private func deleteAfter(_ store: SQLiteMetadataStore, _ scope: TenantScope, _ callID: String) async throws
        -> Date?
    {
        try await store.onlyPart(scope, callID: callID)?.deleteAfter
    }

    @Test func finishingTheLastPartEndsTheCallAndStartsEveryPartsClock() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let scope = Tenant.orgAProd
        _ = try await store.setRetentionPolicy(scope, try policy(audio: 7, derived: 90), now: startOfYear)
        try await store.openCall(scope, id: "call-1")
        let first = try await store.openPart(scope, callID: "call-1", part: 0)
        let firstEnded = startOfYear.adding(minutes: 10)
        try await store.finishPart(scope, first.id, endingCall: false, now: firstEnded)

        // A part finished without ending the call: the call waits for a resume, and no clock runs yet.
        #expect(try await store.call(scope, id: "call-1")?.status == .open)
        #expect(try await store.recordings(scope, callID: "call-1").map(\.deleteAfter) == [nil])

        let second = try await store.openPart(scope, callID: "call-1", part: 1)
        let end = startOfYear.adding(minutes: 60)
        try await store.finishRecording(
            scope, recordingID: second.id, bytes: 9_000, packets: 120, durationMs: 2_400, ackedSeq: 169,
            endingCall: true, now: end)

        let call = try #require(try await store.call(scope, id: "call-1"))
        #expect(call.status == .ended)
        #expect(call.endedAt == end)
        #expect(call.derivedDeleteAfter == end.adding(days: 90))
        let parts = try await store.recordings(scope, callID: "call-1")
        #expect(parts.map(\.part) == [0, 1])
        #expect(parts.map(\.status) == [.complete, .complete])
        #expect(parts.map(\.deleteAfter) == [end.adding(days: 7), end.adding(days: 7)])
        #expect(parts.map(\.endedAt) == [firstEnded, end])
        #expect(parts[1].bytes == 9_000)
        #expect(parts[1].packets == 120)
        #expect(parts[1].durationMs == 2_400)
        #expect(parts[1].ackedSeq == 169)
    }

    @Test func aCallThatHasEndedTakesNoNewPart() async throws {
        let temporary = try TemporaryStore()
        try await temporary.store.endedCall(Tenant.orgAProd, id: "call-1", endedAt: startOfYear)
        await #expect(throws: StoreError.callEnded("call-1")) {
            try await temporary.store.openPart(Tenant.orgAProd, callID: "call-1", part: 1)
        }
    }

    @Test func shorteningAudioDaysBringsEndedRecordingsForwardInThatTenantOnly() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try await store.endedCall(Tenant.orgAProd, id: "call-ended", endedAt: startOfYear)
        try await store.openCall(Tenant.orgAProd, id: "call-live")
        let live = try await store.openPart(Tenant.orgAProd, callID: "call-live")
        let other = try await store.endedCall(Tenant.orgBProd, id: "call-ended", endedAt: startOfYear)
        #expect(try await deleteAfter(store, Tenant.orgAProd, "call-ended") == startOfYear.adding(days: 30))

        _ = try await store.setRetentionPolicy(
            Tenant.orgAProd, try RetentionPolicy(audioDays: 7, derivedDays: 365), now: startOfYear.adding(days: 1))

        #expect(try await deleteAfter(store, Tenant.orgAProd, "call-ended") == startOfYear.adding(days: 7))
        #expect(try await store.onlyPart(Tenant.orgAProd, callID: "call-live") == live)
        #expect(try await store.onlyPart(Tenant.orgBProd, callID: "call-ended") == other)
        #expect(try await deleteAfter(store, Tenant.orgBProd, "call-ended") == startOfYear.adding(days: 30))
    }

    @Test func lengtheningAudioDaysLeavesDatesAlreadySet() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let scope = Tenant.orgAProd
        try await store.endedCall(scope, id: "call-1", endedAt: startOfYear)
        _ = try await store.setRetentionPolicy(scope, try policy(audio: 7, derived: 365), now: startOfYear)
        _ = try await store.setRetentionPolicy(scope, try policy(audio: 60, derived: 365), now: startOfYear)
        #expect(try await store.onlyPart(scope, callID: "call-1")?.deleteAfter == startOfYear.adding(days: 7))

        // Shorter than the policy it replaces, but later than the date already set: the earlier date stands.
        _ = try await store.setRetentionPolicy(scope, try policy(audio: 10, derived: 365), now: startOfYear)
        #expect(try await store.onlyPart(scope, callID: "call-1")?.deleteAfter == startOfYear.adding(days: 7))

        // A call ending now takes the current policy.
        try await store.endedCall(scope, id: "call-2", endedAt: startOfYear.adding(days: 1))
        #expect(try await store.onlyPart(scope, callID: "call-2")?.deleteAfter == startOfYear.adding(days: 11))
    }

    @Test func shorteningDerivedDaysBringsEndedCallsForward() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try await store.endedCall(Tenant.orgAProd, id: "call-1", endedAt: startOfYear)
        try await store.endedCall(Tenant.orgBProd, id: "call-1", endedAt: startOfYear)
        let previous = try await store.setRetentionPolicy(
            Tenant.orgAProd, try RetentionPolicy(audioDays: 30, derivedDays: 40), now: startOfYear)
        #expect(previous == .standard)
        #expect(try await store.call(Tenant.orgAProd, id: "call-1")?.derivedDeleteAfter == startOfYear.adding(days: 40))
        #expect(
            try await store.call(Tenant.orgBProd, id: "call-1")?.derivedDeleteAfter == startOfYear.adding(days: 365))
        #expect(try await deleteAfter(store, Tenant.orgAProd, "call-1") == startOfYear.adding(days: 30))
    }

    @Test func aRecordingIsDueOnlyOnceItsDateHasComeAndWhileItsCallIsNotHeld() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let scope = Tenant.orgAProd
        let part = try await store.endedCall(scope, id: "call-1", endedAt: startOfYear)
        let dueDate = startOfYear.adding(days: 30)

        #expect(try await store.dueRecordings(now: dueDate.addingTimeInterval(-1), limit: 10).isEmpty)
        #expect(try await store.dueRecordings(now: dueDate, limit: 10).map(\.1.id) == [part.id])

        #expect(try await store.setLegalHold(scope, callID: "call-1", true) == false)
        #expect(try await store.dueRecordings(now: dueDate.adding(days: 1), limit: 10).isEmpty)

        #expect(try await store.setLegalHold(scope, callID: "call-1", false) == true)
        let due = try await store.dueRecordings(now: dueDate.adding(days: 1), limit: 10)
        #expect(due.map(\.1.id) == [part.id])
        #expect(due.map(\.0) == [scope])

        try await store.shredRecordingKey(scope, recordingID: part.id, now: dueDate.adding(days: 1))
        #expect(try await store.dueRecordings(now: dueDate.adding(days: 2), limit: 10).isEmpty)
        let shredded = try #require(try await store.onlyPart(scope, callID: "call-1"))
        #expect(shredded.status == .shredded)
        #expect(shredded.wrappedKey == nil)
    }

    @Test func dueRecordingsComeEarliestFirstUpToTheLimit() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let late = try await store.endedCall(Tenant.orgAProd, id: "call-late", endedAt: startOfYear.adding(days: 2))
        let early = try await store.endedCall(Tenant.orgBProd, id: "call-early", endedAt: startOfYear)
        let middle = try await store.endedCall(Tenant.orgADev, id: "call-middle", endedAt: startOfYear.adding(days: 1))
        let now = startOfYear.adding(days: 40)
        #expect(try await store.dueRecordings(now: now, limit: 10).map(\.1.id) == [early.id, middle.id, late.id])
        #expect(try await store.dueRecordings(now: now, limit: 2).map(\.1.id) == [early.id, middle.id])
    }

    @Test func anOpenCallWithNoLivePartIsAbandonedOnlyAfterTheCutoff() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let scope = Tenant.orgAProd
        try await store.openCall(scope, id: "call-silent", startedAt: startOfYear)
        try await store.openCall(scope, id: "call-interrupted", startedAt: startOfYear)
        let interrupted = try await store.openPart(scope, callID: "call-interrupted")
        try await store.finishPart(scope, interrupted.id, endingCall: false, now: startOfYear.adding(minutes: 20))
        try await store.openCall(scope, id: "call-streaming", startedAt: startOfYear)
        try await store.openPart(scope, callID: "call-streaming")
        try await store.endedCall(scope, id: "call-ended", endedAt: startOfYear.adding(minutes: 1))

        let early = try await store.abandonedCalls(endedBefore: startOfYear.adding(minutes: 10))
        #expect(early.map(\.1.id) == ["call-silent"])
        let later = try await store.abandonedCalls(endedBefore: startOfYear.adding(minutes: 30))
        #expect(later.map(\.1.id).sorted() == ["call-interrupted", "call-silent"])

        try await store.endCall(scope, callID: "call-interrupted", now: startOfYear.adding(minutes: 30))
        let part = try #require(try await store.onlyPart(scope, callID: "call-interrupted"))
        #expect(part.deleteAfter == startOfYear.adding(minutes: 30).adding(days: 30))
        #expect(part.endedAt == startOfYear.adding(minutes: 20))
    }
}

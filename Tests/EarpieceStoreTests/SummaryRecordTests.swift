import Foundation
import Testing

@testable import EarpieceStore

@Suite("Call hints and summary records")
struct SummaryRecordTests {
    private func record(_ scope: TenantScope, call: String, path: String, deleteAfter: Date) -> SummaryRecord {
        SummaryRecord(
            scope: scope, callID: call, jobID: "job-1", path: path, bytes: 100, wrappedKey: Data(repeating: 1, count: 65),
            kekVersion: 1, createdAt: startOfYear, deleteAfter: deleteAfter)
    }

    @Test func theFirstSummaryOfACallStandsAndASecondWriterLearnsWhichItIs() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try await store.openCall(Tenant.orgAProd, id: "call-1")
        let first = record(Tenant.orgAProd, call: "call-1", path: "a.epsb", deleteAfter: startOfYear.adding(days: 365))
        let second = record(Tenant.orgAProd, call: "call-1", path: "b.epsb", deleteAfter: startOfYear.adding(days: 365))
        #expect(try await store.saveSummary(first) == first)
        #expect(try await store.saveSummary(second) == first)
        #expect(try await store.summary(Tenant.orgAProd, callID: "call-1") == first)
        #expect(try await store.summary(Tenant.orgBProd, callID: "call-1") == nil)
    }

    @Test func dueSummariesSkipLegalHoldsAndDeletingOneLeavesNoRecord() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        for id in ["due", "held", "later"] { try await store.openCall(Tenant.orgAProd, id: id) }
        _ = try await store.saveSummary(record(Tenant.orgAProd, call: "due", path: "d", deleteAfter: startOfYear.adding(days: 1)))
        _ = try await store.saveSummary(record(Tenant.orgAProd, call: "held", path: "h", deleteAfter: startOfYear.adding(days: 1)))
        _ = try await store.saveSummary(record(Tenant.orgAProd, call: "later", path: "l", deleteAfter: startOfYear.adding(days: 30)))
        _ = try await store.setLegalHold(Tenant.orgAProd, callID: "held", true)

        let due = try await store.dueSummaries(now: startOfYear.adding(days: 2), limit: 10)
        #expect(due.map(\.1.callID) == ["due"])
        try await store.deleteSummary(Tenant.orgAProd, callID: "due")
        #expect(try await store.summary(Tenant.orgAProd, callID: "due") == nil)
        #expect(try await store.dueSummaries(now: startOfYear.adding(days: 2), limit: 10).isEmpty)
    }

    @Test func hintsAreSavedPerSessionAndFeedbackUpdatesInPlace() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try await store.openCall(Tenant.orgAProd, id: "call-1")
        func hint(_ id: String, session: String, at ms: Int, feedback: String?) -> CallHintRecord {
            CallHintRecord(
                scope: Tenant.orgAProd, callID: "call-1", hintID: id, sessionID: session, kind: "pricing_objection",
                speaker: "customer", audioTimeMs: ms, confidence: 0.9, feedback: feedback)
        }
        try await store.saveHints(Tenant.orgAProd, callID: "call-1", [hint("h-1", session: "s1", at: 5_000, feedback: nil)])
        // A resumed call numbers its hints again: same id, another session, both kept.
        try await store.saveHints(Tenant.orgAProd, callID: "call-1", [
            hint("h-1", session: "s1", at: 5_000, feedback: "used"), hint("h-1", session: "s2", at: 9_000, feedback: nil),
        ])
        let saved = try await store.hints(Tenant.orgAProd, callID: "call-1")
        #expect(saved.map(\.sessionID) == ["s1", "s2"])
        #expect(saved.first?.feedback == "used")
        await #expect(throws: StoreError.self) {
            try await store.saveHints(Tenant.orgBProd, callID: "call-1", [hint("h-2", session: "s1", at: 1, feedback: nil)])
        }
    }
}

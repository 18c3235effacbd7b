import Foundation
import Testing

@testable import EarpieceStore

@Suite("Wrapped data keys in the store")
struct WrappedKeyTests {
    @Test func replacingAWrappedKeyIsCompareAndSetOnItsVersion() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let scope = Tenant.orgAProd
        let part = try await store.endedCall(scope, id: "call-1", endedAt: startOfYear)
        let underTwo = fakeWrappedKey(filler: 2)

        let fromWrongVersion = try await store.replaceWrappedKey(
            scope, recordingID: part.id, fromVersion: 2, wrappedKey: underTwo, kekVersion: 3)
        #expect(!fromWrongVersion)
        #expect(try await store.onlyPart(scope, callID: "call-1") == part)

        let moved = try await store.replaceWrappedKey(
            scope, recordingID: part.id, fromVersion: 1, wrappedKey: underTwo, kekVersion: 2)
        #expect(moved)
        let rewrapped = try #require(try await store.onlyPart(scope, callID: "call-1"))
        #expect(rewrapped.wrappedKey == underTwo)
        #expect(rewrapped.kekVersion == 2)

        let movedAgain = try await store.replaceWrappedKey(
            scope, recordingID: part.id, fromVersion: 1, wrappedKey: fakeWrappedKey(filler: 9), kekVersion: 2)
        #expect(!movedAgain)
        #expect(try await store.onlyPart(scope, callID: "call-1")?.wrappedKey == underTwo)
    }

    @Test func aShreddedKeyCanNeverBeBroughtBackByARewrap() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let scope = Tenant.orgAProd
        let part = try await store.endedCall(scope, id: "call-1", endedAt: startOfYear)
        try await store.shredRecordingKey(scope, recordingID: part.id, now: startOfYear.adding(days: 30))

        // The rewrap read the row before the shred: it still believes the key is under version 1.
        let moved = try await store.replaceWrappedKey(
            scope, recordingID: part.id, fromVersion: 1, wrappedKey: fakeWrappedKey(filler: 2), kekVersion: 2)
        #expect(!moved)
        let shredded = try #require(try await store.onlyPart(scope, callID: "call-1"))
        #expect(shredded.wrappedKey == nil)
        #expect(shredded.status == .shredded)
    }

    @Test func onlyLiveKeysUnderAnotherVersionNeedRewrapping() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try await store.openCall(Tenant.orgAProd, id: "call-1")
        let old = try await store.openPart(Tenant.orgAProd, callID: "call-1", part: 0, kekVersion: 1)
        try await store.finishPart(Tenant.orgAProd, old.id, endingCall: false, now: startOfYear)
        try await store.openPart(Tenant.orgAProd, callID: "call-1", part: 1, kekVersion: 2)
        let otherTenant = try await store.endedCall(Tenant.orgBProd, id: "call-1", endedAt: startOfYear)
        let shredded = try await store.endedCall(Tenant.orgADev, id: "call-1", endedAt: startOfYear)
        try await store.shredRecordingKey(Tenant.orgADev, recordingID: shredded.id, now: startOfYear)

        let toRewrap = try await store.recordingsToRewrap(activeVersion: 2, limit: 10)
        #expect(Set(toRewrap.map(\.1.id)) == [old.id, otherTenant.id])
        #expect(Set(toRewrap.map(\.0)) == [Tenant.orgAProd, Tenant.orgBProd])
    }
}

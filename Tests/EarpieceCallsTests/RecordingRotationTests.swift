import EarpieceAudio
import EarpieceStore
import EarpieceVault
import Foundation
import Testing

@testable import EarpieceCalls

@Suite("Rotating the keys that wrap recordings")
struct RecordingRotationTests {
    @Test func afterARotationAndRewrapEveryRecordingExportsTheSameBytes() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 150)
        try await bench.openCall("call-1")
        try await bench.recordPart(audio.slice(0..<60), callID: "call-1", part: 0, endingCall: false)
        try await bench.recordPart(audio.slice(60..<100), callID: "call-1", part: 1, endingCall: true)
        try await bench.recordCall(audio.slice(100..<150), callID: "call-2")
        let before = try await bench.archive.exportBytes(bench.scope, callID: "call-1")
        let partsBefore = try await bench.parts("call-1") + bench.parts("call-2")
        #expect(partsBefore.map(\.kekVersion) == [1, 1, 1])

        try Keyring.rotate(dataDirectory: bench.dataDirectory)
        #expect(try bench.keys.reload() == 2)
        // Still readable between the rotation and the rewrap: version 1 stays in the keyring.
        #expect(try await bench.archive.exportBytes(bench.scope, callID: "call-1") == before)

        let moved = try await KeyRewrap(storage: bench.storage, logger: bench.logger).run(now: startOfYear)

        #expect(moved == 3)
        let partsAfter = try await bench.parts("call-1") + bench.parts("call-2")
        #expect(partsAfter.map(\.kekVersion) == [2, 2, 2])
        for (old, new) in zip(partsBefore, partsAfter) {
            #expect(new.wrappedKey != old.wrappedKey)
            #expect(new.path == old.path)
        }
        #expect(try await bench.archive.exportBytes(bench.scope, callID: "call-1") == before)
        #expect(try await KeyRewrap(storage: bench.storage, logger: bench.logger).run() == 0)
        let audit = try await bench.store.auditEvents(bench.scope, from: nil, to: nil, after: nil, limit: 10)
        #expect(audit.map(\.method) == ["REWRAP"])
        #expect(audit.first?.after == #"{"kek_version":2,"keys":3}"#)
    }

    @Test func aRecordingStartedAfterARotationIsWrappedUnderTheNewVersion() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 40)
        try Keyring.rotate(dataDirectory: bench.dataDirectory)
        try bench.keys.reload()

        try await bench.recordCall(audio, callID: "call-1")

        let part = try #require(try await bench.parts("call-1").first)
        #expect(part.kekVersion == 2)
        let header = try SealedBlobHeader.parse(try BlobFile.readAll(bench.path(of: part)))
        #expect(header.keyReference.kekVersion == 2)
        #expect(header.objectID == part.id)
        #expect(try await bench.exportedPackets("call-1") == audio.data)
    }

    @Test func aKeyUnderAVersionTheKeyringNoLongerHoldsIsLeftAsItWas() async throws {
        let bench = try RecordingBench()
        try await bench.recordCall(try FixturePackets.pricingCall(first: 30), callID: "call-1")
        let part = try #require(try await bench.parts("call-1").first)
        let rotated = try Keyring.rotate(dataDirectory: bench.dataDirectory)
        let withoutVersion1 = try Keyring(roots: [try #require(rotated.rootKey(version: 2))], activeVersion: 2)
        let storage = RecordingStorage(
            store: bench.store, keys: RecordingKeys(keyring: withoutVersion1),
            blobDirectory: bench.storage.blobDirectory)

        let moved = try await KeyRewrap(storage: storage, logger: bench.logger).run()

        #expect(moved == 0)
        #expect(try await bench.parts("call-1") == [part])
        await #expect(throws: RecordingError.self) {
            try await RecordingArchive(storage: storage).exportBytes(bench.scope, callID: "call-1")
        }
    }
}

import EarpieceAudio
import EarpieceStore
import EarpieceVault
import Foundation
import Testing

@testable import EarpieceCalls

@Suite("Recording a call")
struct RecordingCallRecorderTests {
    @Test func aFlushMakesEveryAppendedPacketDurableAndNamesTheLastSequence() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 120)
        try await bench.openCall("call-1")
        let recorder = bench.recorder(callID: "call-1")
        try await bench.append(audio, to: recorder)

        let durable = try await recorder.flush()
        #expect(durable == CallRecorder.Durable(sequence: try #require(audio.packets.last).sequence, packets: 120))
        #expect(try await recorder.flush() == nil)

        let part = try #require(try await bench.parts("call-1").first)
        #expect(part.status == .open)
        #expect(part.packets == 120)
        #expect(part.ackedSeq == Int64(try #require(audio.packets.last).sequence))
        #expect(part.durationMs == 120 * 20)
        let onDisk = try FileManager.default.attributesOfItem(atPath: bench.path(of: part))[.size] as? Int
        #expect(part.bytes == onDisk)
        #expect(part.id == (await recorder.recordingID))
    }

    @Test func aPartFileHoldsNoOggOrOpusHeaderInTheClear() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 300)
        try await bench.openCall("call-1")
        let recorder = bench.recorder(callID: "call-1")
        try await bench.append(audio, to: recorder, flushEvery: 50)
        let part = try #require(try await bench.parts("call-1").first)
        let flushed = try BlobFile.readAll(bench.path(of: part))
        try await recorder.finish(endingCall: true)
        let finished = try BlobFile.readAll(bench.path(of: part))

        #expect(flushed.count > 10_000)
        for bytes in [flushed, finished] {
            #expect(!contains(bytes, "OggS"))
            #expect(!contains(bytes, "OpusHead"))
            #expect(!contains(bytes, "OpusTags"))
        }
        // The plaintext would hold both: the check above is of the sealing, not of the audio.
        let exported = try await bench.archive.exportBytes(bench.scope, callID: "call-1")
        #expect(contains(exported, "OggS"))
        #expect(contains(exported, "OpusHead"))
        let mode = try FileManager.default.attributesOfItem(atPath: bench.path(of: part))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aFinishedCallExportsExactlyThePacketsThatWereAppended() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 500)
        let end = startOfYear
        try await bench.recordCall(audio, callID: "call-1", endedAt: end)

        #expect(try await bench.exportedPackets("call-1") == audio.data)
        let exported = try await bench.archive.exportBytes(bench.scope, callID: "call-1")
        var reader = OggOpusReader()
        _ = try reader.push(exported)
        #expect(reader.head == audio.head)
        #expect(reader.playbackSampleCount == Int64(500 * 960 - audio.head.preSkip))

        let part = try #require(try await bench.parts("call-1").first)
        #expect(part.status == .complete)
        #expect(part.packets == 500)
        #expect(part.durationMs == 10_000)
        #expect(part.endedAt == end)
        #expect(part.deleteAfter == end.adding(days: 30))
        let call = try #require(try await bench.store.call(bench.scope, id: "call-1"))
        #expect(call.status == .ended)
        #expect(call.endedAt == end)
    }

    @Test func aResumedCallExportsItsPartsAsOneStreamInOrder() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 260)
        try await bench.openCall("call-1")
        try await bench.recordPart(audio.slice(0..<100), callID: "call-1", part: 0, endingCall: false)
        #expect(try await bench.store.call(bench.scope, id: "call-1")?.status == .open)
        try await bench.recordPart(audio.slice(100..<260), callID: "call-1", part: 1, endingCall: true)

        let parts = try await bench.parts("call-1")
        #expect(parts.map(\.part) == [0, 1])
        #expect(parts.map(\.packets) == [100, 160])
        #expect(Set(parts.map(\.path)).count == 2)
        // The reader follows one logical stream and ignores any other: all packets means one stream.
        #expect(try await bench.exportedPackets("call-1") == audio.data)
    }

    @Test func exportingTheSameRecordingTwiceGivesTheSameBytes() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 200)
        try await bench.openCall("call-1")
        try await bench.recordPart(audio.slice(0..<80), callID: "call-1", part: 0, endingCall: false)
        try await bench.recordPart(audio.slice(80..<200), callID: "call-1", part: 1, endingCall: true)

        let first = try await bench.archive.exportBytes(bench.scope, callID: "call-1")
        let second = try await bench.archive.exportBytes(bench.scope, callID: "call-1")
        #expect(first == second)
        #expect(!first.isEmpty)
    }

    @Test func packetsArrivingAfterTheEndAreNeitherRecordedNorAcknowledged() async throws {
        let bench = try RecordingBench()
        let audio = try FixturePackets.pricingCall(first: 60)
        try await bench.openCall("call-1")
        let recorder = bench.recorder(callID: "call-1")
        try await bench.append(audio.slice(0..<50), to: recorder)
        try await recorder.finish(endingCall: true)
        try await bench.append(audio.slice(50..<60), to: recorder)

        #expect(try await recorder.flush() == nil)
        #expect(try await bench.parts("call-1").map(\.packets) == [50])
        #expect(try await bench.exportedPackets("call-1") == Array(audio.data.prefix(50)))
    }

    @Test func aConnectionThatSentNoAudioLeavesNoPartAndOnlyEndsTheCall() async throws {
        let bench = try RecordingBench()
        try await bench.openCall("call-1")
        let recorder = bench.recorder(callID: "call-1")
        #expect(try await recorder.flush() == nil)
        try await recorder.finish(endingCall: true, now: startOfYear)

        #expect(await recorder.recordingID == nil)
        #expect(try await bench.parts("call-1").isEmpty)
        #expect(try await bench.store.call(bench.scope, id: "call-1")?.endedAt == startOfYear)
        #expect(!FileManager.default.fileExists(atPath: bench.storage.blobDirectory + "/org_a/prod/call-1"))
        await #expect(throws: RecordingError.notFound("call-1")) {
            try await bench.archive.exportBytes(bench.scope, callID: "call-1")
        }
    }

    @Test func anotherTenantCannotExportTheCall() async throws {
        let bench = try RecordingBench()
        try await bench.recordCall(try FixturePackets.pricingCall(first: 50), callID: "call-1")
        for outsider in [TenantScope.operatorScope(org: "org_b", env: .prod), .operatorScope(org: "org_a", env: .dev)] {
            await #expect(throws: RecordingError.notFound("call-1")) {
                try await bench.archive.exportBytes(outsider, callID: "call-1")
            }
        }
    }
}

import EarpieceAudio
import EarpieceGuidance
import Foundation
import Logging
import Testing

@testable import EarpieceCalls

/// The call session with no socket: the same path `earpiece replay` takes.
@Suite("Call sessions")
struct CallSessionTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/calls").appendingPathComponent(name)))
    }

    static func run(_ inputs: [CallInput], configuration: CallSessionConfiguration = .init(pacing: .lossless), channels: Int = 2) async -> (CallEnd, [ServerMessage]) {
        let session = CallSession(callID: "c-test", sessionID: "s-test", channels: channels, container: .auto, configuration: configuration, logger: Logger(label: "test"))
        let collected = Collected()
        let input = AsyncStream<CallInput> { continuation in
            for item in inputs { continuation.yield(item) }
            continuation.finish()
        }
        let end = await session.run(input: input) { await collected.append($0) }
        return (end, await collected.messages)
    }

    actor Collected {
        var messages: [ServerMessage] = []
        func append(_ message: ServerMessage) { messages.append(message) }
    }

    static func chunks(_ bytes: [UInt8], size: Int) -> [CallInput] {
        stride(from: 0, to: bytes.count, by: size).map { .audio(Array(bytes[$0..<min(bytes.count, $0 + size)])) }
    }

    @Test func aReplayedCallSendsReadyThenHintsThenClosed() async throws {
        let (end, messages) = await Self.run(Self.chunks(try Self.fixture("monologue-call.opus"), size: 5000) + [.text(#"{"type":"close"}"#)])
        #expect(end.code == .normal)
        #expect(messages.first?.type == "ready")
        #expect(messages.last?.type == "closed")
        let kinds = messages.compactMap { if case .hint(let hint) = $0 { hint.kind.rawValue } else { nil } }
        #expect(kinds.sorted() == ["long_silence", "rep_monologue"])
        guard case .closed(let closed)? = messages.last else { return }
        #expect(closed.packets == 5789)
        #expect(closed.lostPackets == 0)
    }

    @Test func theSameAudioGivesTheSameMessagesEveryTime() async throws {
        let bytes = try Self.fixture("pricing-call.webm")
        let (_, first) = await Self.run(Self.chunks(bytes, size: 1000) + [.text(#"{"type":"close"}"#)])
        let (_, second) = await Self.run(Self.chunks(bytes, size: 7777) + [.text(#"{"type":"close"}"#)])
        #expect(first.map { $0.json() } == second.map { $0.json() })
    }

    @Test func audioThatWaitedPastTheLagBudgetIsSkippedButStillCounted() async throws {
        let bytes = try Self.fixture("monologue-call.opus")
        let configuration = CallSessionConfiguration(pacing: .realtime, maxGuidanceLag: .zero)
        let (end, messages) = await Self.run(Self.chunks(bytes, size: 5000) + [.text(#"{"type":"close"}"#)], configuration: configuration)
        #expect(end.code == .normal)
        let warnings = messages.compactMap { if case .warning(let warning) = $0 { warning.code } else { nil } }
        #expect(warnings == ["guidance_degraded"])
        #expect(!messages.contains { if case .hint = $0 { true } else { false } })
        guard case .closed(let closed)? = messages.last else {
            Issue.record("no closed message")
            return
        }
        #expect(abs(closed.audioTimeMs - 115_773) <= 1)
    }

    @Test func aStreamThatEndsWithoutCloseStillEndsInOrder() async throws {
        let (end, messages) = await Self.run(Self.chunks(try Self.fixture("mono-call.opus"), size: 4096), channels: 1)
        #expect(end.code == .normal)
        #expect(messages.last?.type == "closed")
    }

    @Test func anOggStreamCutInsideAPageIsBadAudioOnClose() async throws {
        let bytes = Array(try Self.fixture("mono-call.opus").prefix(20_000))
        let (end, messages) = await Self.run(Self.chunks(bytes, size: 4096) + [.text(#"{"type":"close"}"#)], channels: 1)
        #expect(end.code == .badAudio)
        guard case .error(let report)? = messages.last else {
            Issue.record("the last message is not an error")
            return
        }
        #expect(report.code == "bad_audio")
        #expect(report.message.contains("truncated"))
    }

    @Test func duplicatesAreDroppedAndGapsCounted() async throws {
        var reader = OggOpusReader()
        let packets = try reader.push(try Self.fixture("mono-call.opus"))
        var inputs: [CallInput] = []
        for packet in packets.prefix(200) where packet.sequence != 50 && packet.sequence != 51 {
            let frame = RawPacketFrame(sequence: UInt32(packet.sequence), captureTimeMicros: packet.sequence * 20_000, packet: packet.data)
            inputs.append(.audio(frame.serialized))
            if packet.sequence == 100 { inputs.append(.audio(frame.serialized)) }  // resent after a reconnect
        }
        inputs.append(.text(#"{"type":"close"}"#))
        let (_, messages) = await Self.run(inputs, channels: 1)
        guard case .closed(let closed)? = messages.last else {
            Issue.record("no closed message")
            return
        }
        #expect(closed.packets == 198)
        #expect(closed.lostPackets == 2)
        // 200 packets of 20 ms, two of them concealed.
        #expect(closed.audioTimeMs == 4_000)
    }
}

@Suite("Protocol messages")
struct ProtocolMessageTests {
    @Test func serverMessagesCarryTheirTypeAndSnakeCaseFields() throws {
        let warning = ServerMessage.warning(.init(code: "guidance_degraded", message: "m", skippedMs: 1200)).json()
        #expect(warning == #"{"code":"guidance_degraded","message":"m","skipped_ms":1200,"type":"warning"}"#)
        #expect(ServerMessage.finalized(audioTimeMs: 42).json() == #"{"audio_time_ms":42,"type":"finalized"}"#)
        let closed = ServerMessage.closed(.init(callId: "c", audioTimeMs: 5, packets: 1, lostPackets: 0)).json()
        #expect(closed == #"{"audio_time_ms":5,"call_id":"c","lost_packets":0,"packets":1,"type":"closed"}"#)
        // Written by hand for speed; it must read exactly as the encoder's output would.
        #expect(ServerMessage.ack(sequence: 4_294_967_295).json() == #"{"seq":4294967295,"type":"ack"}"#)
    }

    @Test func clientMessagesAreCheckedFieldByField() throws {
        #expect(try ClientMessage(parsing: #"{"type":"keepalive"}"#) == .keepalive)
        #expect(try ClientMessage(parsing: #"{"type":"close","extra":1}"#) == .close)
        #expect(try ClientMessage(parsing: #"{"type":"hint_feedback","hint_id":"h-1","action":"used"}"#) == .hintFeedback(hintID: "h-1", action: .used))
        #expect(try ClientMessage(parsing: #"{"type":"hint_feedback","hint_id":"h-1","action":"love"}"#) == .invalid(reason: #"hint_feedback action must be "used" or "dismissed""#))
        #expect(try ClientMessage(parsing: #"{"type":"sing"}"#) == .unknown(type: "sing"))
        for bad in ["", "hello", "[]", #"{"type":5}"#, #"{"kind":"close"}"#, "{"] {
            #expect(throws: ClientMessage.Problem.self) { try ClientMessage(parsing: bad) }
        }
    }
}

@Suite("Bounded queues")
struct BoundedQueueTests {
    static func packet(_ sequence: UInt64) -> GuidanceQueue.QueuedPacket {
        .init(data: [0xFC], sequence: sequence, samples: 960, arrival: .now, skippedBefore: 0)
    }

    @Test func aFullGuidanceQueueSkipsAndCarriesTheSkippedAudioToTheNextPacket() async {
        let queue = GuidanceQueue(capacityMilliseconds: 40)  // two 20 ms packets
        #expect(queue.offer(Self.packet(0)))
        #expect(queue.offer(Self.packet(1)))
        #expect(!queue.offer(Self.packet(2)))
        #expect(!queue.offer(Self.packet(3)))
        guard case .packet(let first)? = await queue.next() else { Issue.record("no packet"); return }
        #expect(first.sequence == 0)
        #expect(queue.offer(Self.packet(4)))
        _ = await queue.next()
        guard case .packet(let resumed)? = await queue.next() else { Issue.record("no packet"); return }
        #expect(resumed.skippedBefore == 2 * 960)
        #expect(resumed.sequence == nil)  // the decoder must not conceal what was skipped on purpose
        queue.finish()
        guard case nil = await queue.next() else {
            Issue.record("a finished, drained queue returned an item")
            return
        }
    }

    @Test func aFullOutboxDropsDynamicsBeforeAnythingElse() async {
        let outbox = Outbox(capacity: 3, waitsWhenFull: false)
        await outbox.push(.finalized(audioTimeMs: 1))
        await outbox.push(.dynamics(DynamicsSnapshot(audioTimeMs: 1000, talkShare: [:], speaking: [:], silenceMs: 0, monologue: nil, overlapMs: 0)))
        await outbox.push(.finalized(audioTimeMs: 2))
        await outbox.push(.finalized(audioTimeMs: 3))
        outbox.close()
        var types: [String] = []
        while let message = await outbox.next() { types.append(message.json()) }
        #expect(types == [#"{"audio_time_ms":1,"type":"finalized"}"#, #"{"audio_time_ms":2,"type":"finalized"}"#, #"{"audio_time_ms":3,"type":"finalized"}"#])
        #expect(outbox.droppedCount == 1)
    }
}

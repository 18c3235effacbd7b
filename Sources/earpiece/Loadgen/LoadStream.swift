import EarpieceAudio
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization

/// One call of a load step: a fixture streamed in real time over one WebSocket, everything the server sent back
/// timed on arrival, then the call read back over REST for the packets its recording holds.
struct LoadStream: Sendable {
    var fixture: LoadFixture
    var gateway: LoadTarget
    var token: String
    /// How many streams of the step are sending audio right now, for the sampler's steady window.
    var sending: LoadStreamCounter
    /// Wakes the sender when each packet is due.
    var pacer: LoadPacer

    /// Streams the fixture and returns what happened; never throws: a refusal or a drop is a result.
    func run() async -> LoadStreamLog {
        let record = LoadStreamRecord(LoadStreamLog(packetCount: fixture.frames.count))
        let frames = fixture.frames
        let packetEndMs = fixture.packetEndMs
        let sending = self.sending
        let pacer = self.pacer
        // The whole call plus a minute for the server to finish: a stream past that is counted as dropped.
        let deadline = Duration.milliseconds(fixture.durationMs) + .seconds(60)
        do {
            let close = try await WebSocketClient.connect(
                url: gateway.streamURL(channels: fixture.channels),
                configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: [.authorization: "Bearer \(token)"]),
                logger: Logger(label: "earpiece.loadgen", factory: { _ in SwiftLogNoOpLogHandler() })
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        sending.add(1)
                        defer { sending.add(-1) }
                        let startNanos = LoadClock.nanoseconds()
                        var startMs = 0
                        for (index, frame) in frames.enumerated() {
                            let due = startNanos + UInt64(startMs) * 1_000_000
                            await pacer.wait(until: due)
                            try Task.checkCancellation()
                            let now = LoadClock.nanoseconds()
                            record.update { log in
                                log.dueAt[index] = due
                                log.sentAt[index] = now
                            }
                            try await outbound.write(.binary(ByteBuffer(bytes: frame)))
                            startMs = packetEndMs[index]
                        }
                        try await outbound.write(.text(#"{"type":"close"}"#))
                    }
                    group.addTask {
                        try await Task.sleep(for: deadline)
                        record.update { $0.failure = "no close within \(deadline) of the stream's start" }
                        try await outbound.close(.goingAway, reason: "load generator deadline")
                    }
                    // The receiver runs here and ends when the socket closes; the sender and the deadline go with it.
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        let now = LoadClock.nanoseconds()
                        guard let decoded = try? JSONDecoder().decode(ServerMessage.self, from: Data(text.utf8)) else { continue }
                        record.update { log in
                            switch decoded.type {
                            case "ready": (log.callID, log.tier) = (decoded.call_id, decoded.tier)
                            case "closed": log.sawClosed = true
                            case "error": log.errorCode = decoded.code ?? "error"
                            default: break
                            }
                            if let event = decoded.event(at: now) { log.events.append(event) }
                        }
                    }
                    group.cancelAll()
                }
            }
            record.update { $0.closeCode = close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) } }
        } catch {
            record.update { $0.failure = "\(error)" }
        }
        var log = record.log
        if let callID = log.callID, log.sawClosed {
            log.storedPackets = await gateway.storedPackets(callID: callID, token: token)
        }
        return log
    }

    /// The fields of a server message the load generator reads.
    private struct ServerMessage: Decodable {
        var type: String
        var seq: Int?
        var kind: String?
        var speaker: String?
        var audio_time_ms: Int?
        var code: String?
        var call_id: String?
        var tier: String?

        func event(at nanos: UInt64) -> LoadStreamLog.Event? {
            switch type {
            case "ack": seq.map { .init(at: nanos, what: .ack(seq: $0)) }
            case "hint":
                audio_time_ms.map {
                    .init(at: nanos, what: .hint(kind: kind ?? "", speaker: speaker ?? "unknown", audioTimeMs: $0))
                }
            case "dynamics": audio_time_ms.map { .init(at: nanos, what: .dynamics(audioTimeMs: $0)) }
            case "warning": .init(at: nanos, what: .warning(code: code ?? ""))
            default: nil
            }
        }
    }
}

/// What one stream of a step saw, on the load generator's monotonic clock (nanoseconds).
struct LoadStreamLog: Sendable {
    struct Event: Sendable {
        enum What: Sendable {
            case ack(seq: Int)
            case hint(kind: String, speaker: String, audioTimeMs: Int)
            case dynamics(audioTimeMs: Int)
            case warning(code: String)
        }
        var at: UInt64
        var what: What
    }

    /// When each packet was due and when it was sent; 0 for a packet never sent.
    var dueAt: [UInt64]
    var sentAt: [UInt64]
    var events: [Event] = []
    var callID: String?
    var tier: String?
    var sawClosed = false
    var closeCode: Int?
    /// The `error` message's code, when the server sent one before closing.
    var errorCode: String?
    /// Why the stream could not be opened or broke off, from the client's side.
    var failure: String?
    var storedPackets: Int?

    init(packetCount: Int) {
        dueAt = Array(repeating: 0, count: packetCount)
        sentAt = dueAt
    }

    var packetsSent: Int { sentAt.lazy.filter { $0 != 0 }.count }

    /// Packets up to the last `ack`.
    var packetsAcked: Int {
        events.reduce(0) { acked, event in
            if case .ack(let seq) = event.what { max(acked, seq + 1) } else { acked }
        }
    }

    /// Refused: never admitted (the upgrade failed, or the server turned the stream away as over capacity).
    var wasRefused: Bool { callID == nil || errorCode == "over_capacity" }

    /// Dropped: admitted, but not ended by `closed` and close code 1000.
    var wasDropped: Bool { !wasRefused && !(sawClosed && closeCode == 1000) }
}

/// A stream's log while its sender and receiver tasks both write to it.
final class LoadStreamRecord: Sendable {
    private let state: Mutex<LoadStreamLog>
    init(_ log: LoadStreamLog) { state = Mutex(log) }
    func update(_ body: (inout LoadStreamLog) -> Void) { state.withLock { body(&$0) } }
    var log: LoadStreamLog { state.withLock { $0 } }
}

/// The number of streams sending audio at the moment.
final class LoadStreamCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ delta: Int) { count.add(delta, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

/// The load generator's clock: monotonic nanoseconds, comparable across tasks.
enum LoadClock {
    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

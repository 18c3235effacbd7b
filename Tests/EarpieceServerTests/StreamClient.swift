import EarpieceAudio
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Testing

/// A message the server sent, decoded loosely: the fields the tests look at.
struct Received: Decodable, Sendable {
    var type: String
    var kind: String?
    var speaker: String?
    var audio_time_ms: Int?
    var code: String?
    var message: String?
    var call_id: String?
    var session_id: String?
    var tier: String?
    var packets: Int?
    var skipped_ms: Int?
    var retry_after_ms: Int?
    var title: String?
    var trigger: String?
    var confidence: Double?
    var seq: UInt64?
    var resume_token: String?
    var resumed_after: UInt64?
    var recording: Bool?
    var text: String?
    var is_final: Bool?
    var start_ms: Int?
    var end_ms: Int?
    var competitor: String?
    var summary_job_id: String?
}

/// What one stream saw: every message, and how the server closed it.
struct StreamTranscript: Sendable {
    var messages: [Received]
    var closeCode: Int?
    var closeReason: String?

    func of(_ type: String) -> [Received] { messages.filter { $0.type == type } }
    var hints: [Received] { of("hint") }
}

/// How a test sends a fixture.
enum Sending: Sendable {
    /// The file's bytes as they are, in messages of this size.
    case bytes(chunk: Int)
    /// The file's packets, one raw frame each (WebCodecs style).
    case rawFrames
}

enum StreamClient {
    static func fixture(_ name: String) throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/calls").appendingPathComponent(name)))
    }

    /// The binary messages a client sends for `bytes`.
    static func messages(for bytes: [UInt8], sending: Sending) throws -> [[UInt8]] {
        switch sending {
        case .bytes(let chunk):
            return stride(from: 0, to: bytes.count, by: chunk).map { Array(bytes[$0..<min(bytes.count, $0 + chunk)]) }
        case .rawFrames:
            var demuxer = SniffingDemuxer()
            let packets = try demuxer.push(bytes)
            var micros: UInt64 = 0
            var frames: [[UInt8]] = []
            for packet in packets {
                frames.append(RawPacketFrame(sequence: UInt32(packet.sequence), captureTimeMicros: micros, packet: packet.data).serialized)
                micros += UInt64(try OpusPacketInfo(packet: packet.data).sampleCount) * 1000 / 48
            }
            return frames
        }
    }

    /// Opens a stream, sends `messages` then `close` (unless told not to), and collects everything until the
    /// server closes. `beforeClose` runs after the audio, for tests that poke the stream.
    static func stream(
        _ gateway: RunningGateway, token: String, query: String = "channels=2", messages: [[UInt8]],
        texts: [String] = [], sendClose: Bool = true, headers: HTTPFields? = nil, readDelay: Duration = .zero
    ) async throws -> StreamTranscript {
        var fields = headers ?? [.authorization: "Bearer \(token)"]
        if headers == nil { fields[.authorization] = "Bearer \(token)" }
        let collected = Collected()
        let close = try await WebSocketClient.connect(
            url: "\(gateway.baseURL)/v1/stream?\(query)",
            configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: fields),
            logger: Harness.logger
        ) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    if readDelay > .zero { try await Task.sleep(for: readDelay) }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message {
                            let decoded = try JSONDecoder().decode(Received.self, from: Data(text.utf8))
                            await collected.append(decoded)
                        }
                    }
                }
                group.addTask {
                    for message in messages {
                        try await outbound.write(.binary(ByteBuffer(bytes: message)))
                    }
                    for text in texts { try await outbound.write(.text(text)) }
                    if sendClose { try await outbound.write(.text(#"{"type":"close"}"#)) }
                }
                try await group.waitForAll()
            }
        }
        return StreamTranscript(messages: await collected.messages, closeCode: close.map { Int($0.closeCode.rawCode) }, closeReason: close?.reason)
    }

    actor Collected {
        var messages: [Received] = []
        func append(_ message: Received) { messages.append(message) }
    }
}

extension WebSocketErrorCode {
    /// The numeric close code, whatever case the library maps it to.
    var rawCode: UInt16 { UInt16(webSocketErrorCode: self) }
}

import NIOCore
import NIOPosix
import Testing

/// A client is alive while it sends: the idle timer decides, never a ping whose pong may wait behind audio the
/// server has not read yet (docs/protocol.md, Closing).
@Suite("Liveness")
struct LivenessTests {
    @Test func aClientThatNeverAnswersPingsStaysWhileItSends() async throws {
        try await Harness.withGateway { gateway in
            let token = try await gateway.token()
            let frames = try await RawWebSocket.session(port: gateway.port, path: "/v1/stream?channels=2", token: token) { send in
                // Longer than two of any ping period the WebSocket library would use by default (30 s), well
                // inside the idle timeout between messages.
                for _ in 0..<13 {
                    try await send(#"{"type":"keepalive"}"#)
                    try await Task.sleep(for: .seconds(5))
                }
                try await send(#"{"type":"close"}"#)
            }
            #expect(!frames.contains { $0.opcode == 0x9 }, "the server pinged")
            let texts = frames.filter { $0.opcode == 0x1 }.map { String(decoding: $0.payload, as: UTF8.self) }
            #expect(texts.first?.contains(#""type":"ready""#) == true)
            #expect(texts.last?.contains(#""type":"closed""#) == true, "\(texts.suffix(2))")
            let close = try #require(frames.last { $0.opcode == 0x8 })
            #expect(close.payload.count >= 2)
            #expect(close.payload.prefix(2).elementsEqual([0x03, 0xE8]), "closed with \(close.payload.prefix(2).map { $0 })")
        }
    }
}

/// A WebSocket client over a plain socket that answers nothing on its own (no pongs), so tests see every frame
/// the server sends.
enum RawWebSocket {
    struct Frame: Sendable {
        var opcode: UInt8
        var payload: [UInt8]
    }

    /// Upgrades, runs `body` with a function that sends masked text frames, and returns the frames the server
    /// sent until it closed the connection.
    static func session(
        port: Int, path: String, token: String,
        _ body: @escaping @Sendable (_ send: @escaping @Sendable (String) async throws -> Void) async throws -> Void
    ) async throws -> [Frame] {
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer \(token)\r\n\r\n"
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            return try await withThrowingTaskGroup(of: [Frame]?.self) { group in
                group.addTask {
                    var bytes: [UInt8] = []
                    var upgraded = false
                    var frames: [Frame] = []
                    for try await var chunk in inbound {
                        bytes += chunk.readBytes(length: chunk.readableBytes) ?? []
                        if !upgraded {
                            guard let end = headEnd(bytes) else { continue }
                            let head = String(decoding: bytes[..<end], as: UTF8.self)
                            guard head.hasPrefix("HTTP/1.1 101") else { throw TestError("no upgrade: \(head)") }
                            bytes.removeFirst(end + 4)
                            upgraded = true
                        }
                        while let (frame, used) = parse(bytes) {
                            frames.append(frame)
                            bytes.removeFirst(used)
                            if frame.opcode == 0x8 { return frames }
                        }
                    }
                    return frames
                }
                group.addTask {
                    try await body { text in try await outbound.write(ByteBuffer(bytes: masked(text: text))) }
                    return nil
                }
                var frames: [Frame] = []
                for try await result in group {
                    if let result { frames = result }
                }
                return frames
            }
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        return (0...(bytes.count - 4)).first { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }
    }

    /// One unmasked server frame from the front of `bytes` and the bytes it took, or nil if it is incomplete.
    private static func parse(_ bytes: [UInt8]) -> (Frame, Int)? {
        guard bytes.count >= 2 else { return nil }
        var length = Int(bytes[1] & 0x7F), offset = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            offset = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            length = bytes[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard bytes.count >= offset + length else { return nil }
        return (Frame(opcode: bytes[0] & 0x0F, payload: Array(bytes[offset..<(offset + length)])), offset + length)
    }

    /// A final text frame, masked as RFC 6455 requires of a client.
    private static func masked(text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        precondition(payload.count < 126)
        let key: [UInt8] = (0..<4).map { _ in UInt8.random(in: 0...255) }
        return [0x81, 0x80 | UInt8(payload.count)] + key + payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    }
}

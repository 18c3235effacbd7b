import NIOCore
import NIOPosix

/// A minimal HTTP/1.1 client over a plain socket, so that tests see exactly what the server answers to a
/// WebSocket upgrade it refuses (status, headers, body), with no client library in between.
enum RawHTTP {
    struct Response: Sendable {
        var status: Int
        var head: String
        var body: String
    }

    static func get(port: Int, path: String, headers: [(String, String)], upgrade: Bool = true) async throws -> Response {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if upgrade {
            request += "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        }
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var received = ""
            for try await var chunk in inbound {
                received += chunk.readString(length: chunk.readableBytes) ?? ""
                if let response = parse(received) { return response }
            }
            return parse(received, complete: true) ?? Response(status: 0, head: received, body: "")
        }
    }

    /// A whole response, once its head and the body its Content-Length announces have arrived.
    private static func parse(_ text: String, complete: Bool = false) -> Response? {
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let head = String(text[..<split.lowerBound]), body = String(text[split.upperBound...])
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        let length = head.split(separator: "\r\n").compactMap { line -> Int? in
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "content-length" else { return nil }
            return Int(pair[1].trimmingCharacters(in: .whitespaces))
        }.first
        if let length, body.utf8.count < length, !complete { return nil }
        if length == nil, status == 101 { return Response(status: status, head: head, body: "") }
        return Response(status: status, head: head, body: body)
    }
}

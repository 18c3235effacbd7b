import EarpieceAuth
import Foundation
import NIOCore
import NIOPosix
import Testing

/// A minimal HTTP/1.1 client for the REST routes: any method, a body, and the answer's exact bytes (plain or
/// chunked), over a plain socket with `Connection: close`, so tests see what the server sent and nothing more.
enum REST {
    struct Reply: Sendable {
        var status: Int
        /// Header names lowercased.
        var headers: [String: String]
        var body: [UInt8]
        /// False for a chunked body that never got its last chunk: an answer cut short after its head.
        var isComplete: Bool

        var text: String { String(decoding: body, as: UTF8.self) }

        func json<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(T.self, from: Data(body))
        }

        /// The refusal's `error` and `reason`.
        var refusal: Refusal? { try? json(Refusal.self) }
    }

    struct Refusal: Decodable, Sendable {
        var error: String
        var reason: String
    }

    static func get(_ gateway: RunningGateway, _ path: String, token: String?) async throws -> Reply {
        try await send(gateway, "GET", path, token: token)
    }

    static func put(_ gateway: RunningGateway, _ path: String, token: String?, json: String) async throws -> Reply {
        try await send(gateway, "PUT", path, token: token, body: Array(json.utf8))
    }

    static func send(
        _ gateway: RunningGateway, _ method: String, _ path: String, token: String?, body: [UInt8]? = nil
    ) async throws -> Reply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(gateway.port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: gateway.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let received = try await channel.executeThenClose { inbound, outbound in
            var request = ByteBuffer(string: head)
            if let body { request.writeBytes(body) }
            try await outbound.write(request)
            var bytes: [UInt8] = []
            for try await chunk in inbound { bytes += chunk.readableBytesView }
            return bytes
        }
        return try parse(received)
    }

    private static func parse(_ bytes: [UInt8]) throws -> Reply {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw TestError("no response head in \(bytes.count) bytes")
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestError("bad status line") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let rest = Array(bytes[(end + separator.count)...])
        guard headers["transfer-encoding"]?.lowercased() == "chunked" else {
            let expected = headers["content-length"].flatMap { Int($0) } ?? rest.count
            return Reply(status: status, headers: headers, body: rest, isComplete: rest.count == expected)
        }
        let (body, complete) = dechunk(rest)
        return Reply(status: status, headers: headers, body: body, isComplete: complete)
    }

    /// The body of a chunked response, and whether it ended with its last chunk.
    private static func dechunk(_ bytes: [UInt8]) -> (body: [UInt8], complete: Bool) {
        var body: [UInt8] = [], index = 0
        while true {
            guard let lineEnd = (index..<max(index, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? "", radix: 16)
            else { return (body, false) }
            if size == 0 { return (body, true) }
            let start = lineEnd + 2
            guard start + size + 2 <= bytes.count else { return (body + bytes[start...], false) }
            body += bytes[start..<(start + size)]
            index = start + size + 2
        }
    }
}

/// The JSON of the REST routes, decoded with the API's own snake_case names.
struct CallJSON: Decodable, Sendable {
    struct Recording: Decodable, Sendable {
        var parts: Int
        var bytes: Int
        var packets: Int
        var duration_ms: Int
        var status: String
    }

    var call_id: String
    var status: String
    var started_at: String
    var ended_at: String?
    var legal_hold: Bool
    var recording: Recording?
}

struct CallListJSON: Decodable, Sendable {
    var calls: [CallJSON]
    var next_before: String?
}

struct AuditEventJSON: Decodable, Sendable {
    var id: Int64
    var user_id: String
    var method: String
    var route: String
    var status: Int
    var occurred_at: String
    var duration_ms: Int
    var target: String?
    var before: [String: Scalar]?
    var after: [String: Scalar]?
}

/// A number or a flag in an audit event's before or after.
enum Scalar: Decodable, Sendable, Equatable {
    case int(Int)
    case bool(Bool)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) { self = .bool(flag) } else { self = .int(try container.decode(Int.self)) }
    }
}

struct AuditPageJSON: Decodable, Sendable {
    var events: [AuditEventJSON]
    var next_after: Int64?
}

/// A call streamed through the real WebSocket route, as the REST tests start from.
struct StreamedCall: Sendable {
    var id: String
    /// Opus packets the client sent.
    var packetsSent: Int
}

extension RunningGateway {
    /// Streams the first `packets` packets of a fixture as raw frames, ends the call with `close`, and returns
    /// the call's id.
    func streamCall(token: String, packets: Int = 100) async throws -> StreamedCall {
        let frames = try StreamClient.messages(for: try StreamClient.fixture("mono-call.opus"), sending: .rawFrames)
        let sent = Array(frames.prefix(packets))
        let transcript = try await StreamClient.stream(self, token: token, query: "channels=1&container=raw", messages: sent)
        guard transcript.closeCode == 1000, let id = transcript.messages.first?.call_id else {
            throw TestError("the stream ended with \(String(describing: transcript.closeCode)): \(transcript.closeReason ?? "")")
        }
        return StreamedCall(id: id, packetsSent: sent.count)
    }

    /// The tenant's audit log as an auditor of it reads it (which is itself audited, after this page is read).
    func auditLog(org: String = "acme-corp", query: String = "limit=500") async throws -> [AuditEventJSON] {
        let auditor = try await token(roles: ["auditor"], org: org, user: "auditor-1")
        let reply = try await REST.get(self, "/v1/admin/audit?\(query)", token: auditor)
        guard reply.status == 200 else { throw TestError("audit log: \(reply.status) \(reply.text)") }
        return try reply.json(AuditPageJSON.self).events
    }
}

import EarpieceAudio
import EarpieceAuth
import Foundation
import HummingbirdWSClient
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Suites that run `earpiece` child processes and seconds of CPU each: one at a time, so that on a two-core
/// machine one does not starve the other's child of the CPU its timing expects.
@Suite(.serialized)
enum ProcessHeavyTests {}

extension ProcessHeavyTests {
    /// The durability promise end to end: `earpiece serve` as a child process, killed with SIGKILL mid-call.
    @Suite(.serialized)
    struct CrashRecoveryTests {
        @Test func everyAckedPacketSurvivesSIGKILLAndTheCallResumesAfterRestart() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("earpiece-crash-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let frames = try StreamClient.messages(for: try StreamClient.fixture("pricing-call.opus"), sending: .rawFrames)
            let packets = try frames.map { try RawPacketFrame(parsing: $0).packet }

            // First life: stream about half the call at a brisk pace, wait for acks, then kill the server outright.
            var server = try ChildServer.start(dataDirectory: directory)
            let token = try await ChildServer.token(dataDirectory: directory)
            let firstHalf = Array(frames[0..<2_600])
            let first = try await ChildServer.streamUntilAcked(port: server.port, token: token, query: "container=raw", frames: firstHalf, atLeast: 2_000)
            server.kill()
            let acked = try #require(first.lastAck)
            #expect(acked >= 2_000)
            let callID = try #require(first.callID)
            let resumeToken = try #require(first.resumeToken)

            // At rest nothing is in the clear: no Ogg page, no Opus header, anywhere in the data directory.
            for file in try ChildServer.allFiles(under: directory) {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
                // An Ogg page starts "OggS" and stream structure version 0: five bytes, which ciphertext holds by chance
                // about once in 10¹² positions (four bytes alone turned up in a megabyte of it about once in 4,000 runs).
                #expect(!ChildServer.contains(bytes, Array("OggS".utf8) + [0]), "\(file) holds an Ogg page in the clear")
                #expect(!ChildServer.contains(bytes, Array("OpusHead".utf8)), "\(file) holds an Opus header in the clear")
            }

            // Second life: recovery runs at start; the recovered part holds every acked packet, decodable.
            server = try ChildServer.start(dataDirectory: directory)
            let recovered = try ChildServer.export(callID: callID, dataDirectory: directory)
            let recoveredPackets = try ChildServer.packets(ofOgg: recovered)
            #expect(recoveredPackets.count >= Int(acked) + 1)
            #expect(Array(recoveredPackets.prefix(Int(acked) + 1)) == Array(packets.prefix(Int(acked) + 1)))
            var decoder = try OpusDecoder(channelCount: 2)
            var pcm = PCMBuffer(channelCount: 2)
            for packet in recoveredPackets { _ = try decoder.decode(packet, into: &pcm) }
            #expect(pcm.frameCount > 0)

            // The client resumes with its call id and token and resends everything after the last ack it saw. The
            // server may have stored more than that (an ack can be lost with the connection): `resumed_after` says
            // how far, and it drops the resent frames up to there as duplicates.
            let resumed = try await ChildServer.streamUntilAcked(
                port: server.port, token: token,
                query: "container=raw&call_id=\(callID)&resume_token=\(resumeToken)",
                frames: Array(frames[Int(acked) + 1..<frames.count]), atLeast: 0, close: true)
            let storedUpTo = Int(try #require(resumed.resumedAfter))
            #expect(storedUpTo >= Int(acked))
            #expect(recoveredPackets.count >= storedUpTo + 1)
            #expect(resumed.closed)
            // Times count in the call's audio, not the new connection's: the resumed stream's first dynamics come
            // after the stored part (20 ms packets), and `closed` reports the whole call (105.5 s of audio).
            let storedMs = (storedUpTo + 1) * 20
            let firstDynamics = try #require(resumed.firstDynamicsMs)
            #expect(firstDynamics > storedMs && firstDynamics <= storedMs + 2_000, "first dynamics at \(firstDynamics) ms; stored \(storedMs) ms")
            let closedAt = try #require(resumed.closedAudioTimeMs)
            #expect(abs(closedAt - 105_477) <= 1_000, "closed at \(closedAt) ms")
            server.stop()
            let whole = try ChildServer.packets(ofOgg: try ChildServer.export(callID: callID, dataDirectory: directory))
            // What recovery kept, then every frame after `resumed_after`; packets flushed after the last recorded ack
            // (the process died between the fsync and the database write) are kept too, so may appear twice.
            #expect(Array(whole.prefix(recoveredPackets.count)) == recoveredPackets)
            #expect(Array(whole.dropFirst(recoveredPackets.count)) == Array(packets[(storedUpTo + 1)...]))
        }
    }
}

/// `earpiece serve` run as a separate process, as an operator runs it.
struct ChildServer {
    let process: Process
    let port: Int

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("earpiece")
    }

    static func start(dataDirectory: String) throws -> ChildServer {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestError("no earpiece executable at \(executable.path); build with `swift build --build-tests`")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--data-dir", dataDirectory, "--port", "0"]
        // Recording is what these tests pin down: a dynamics-only server keeps a busy test machine's CPU for it.
        var environment = ProcessInfo.processInfo.environment
        environment["EARPIECE_TRANSCRIPT_DECODERS"] = "0"
        environment["EARPIECE_KEYPHRASE_DECODERS"] = "0"
        environment["EARPIECE_SUMMARY_WORKER"] = "false"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                let port = Int(text[range].split(separator: ":").last ?? "") ?? 0
                // Keep draining stdout so the child never blocks on a full pipe.
                Thread.detachNewThread { while !output.fileHandleForReading.availableData.isEmpty {} }
                return ChildServer(process: process, port: port)
            }
        }
        process.terminate()
        throw TestError("earpiece serve did not report its port: \(text.prefix(500))")
    }

    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    static func token(dataDirectory: String) async throws -> String {
        let minter = TokenMinter(
            key: try DevSigningKey.loadOrCreate(dataDirectory: dataDirectory), issuer: "earpiece", audience: "earpiece-gateway")
        return try await minter.mint(userID: "u-crash", org: "acme-corp", env: .dev, roles: [.rep], ttl: .seconds(3600), now: Date())
    }

    struct Outcome: Sendable {
        var lastAck: UInt64?
        var callID: String?
        var resumeToken: String?
        var resumedAfter: UInt64?
        var closed = false
        var firstDynamicsMs: Int?
        var closedAudioTimeMs: Int?
    }

    actor State {
        var outcome = Outcome()
        func update(_ body: (inout Outcome) -> Void) { body(&outcome) }
    }

    /// Streams `frames` in bursts, then waits until an ack reaches `atLeast` (or, with `close`, sends `close`
    /// and waits for `closed`), and returns what it saw.
    static func streamUntilAcked(port: Int, token: String, query: String, frames: [[UInt8]], atLeast: UInt64, close: Bool = false) async throws -> Outcome {
        let state = State()
        _ = try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/v1/stream?\(query)",
            configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: [.authorization: "Bearer \(token)"]),
            logger: Harness.logger
        ) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for (index, frame) in frames.enumerated() {
                        try await outbound.write(.binary(ByteBuffer(bytes: frame)))
                        // Bursts of 2 s of audio every 100 ms: fast, yet spread over several flushes.
                        if index % 100 == 99 { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    if close { try await outbound.write(.text(#"{"type":"close"}"#)) }
                }
                // The reader decides when the stream is over: at the awaited ack, or when the server closes the
                // socket after `closed`. Whatever the writer has left then is abandoned, as by a dropped client.
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    let received = try JSONDecoder().decode(Received.self, from: Data(text.utf8))
                    await state.update { outcome in
                        switch received.type {
                        case "ready":
                            outcome.callID = received.call_id
                            outcome.resumeToken = received.resume_token
                            outcome.resumedAfter = received.resumed_after
                        case "ack": outcome.lastAck = received.seq
                        case "closed":
                            outcome.closed = true
                            outcome.closedAudioTimeMs = received.audio_time_ms
                        case "dynamics" where outcome.firstDynamicsMs == nil: outcome.firstDynamicsMs = received.audio_time_ms
                        default: break
                        }
                    }
                    if !close, let ack = await state.outcome.lastAck, ack >= atLeast { break }
                }
                group.cancelAll()
            }
        }
        return await state.outcome
    }

    static func export(callID: String, dataDirectory: String) throws -> [UInt8] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).opus").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["export", callID, "-o", output, "--org", "acme-corp", "--env", "dev", "--data-dir", dataDirectory]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestError("earpiece export failed with \(process.terminationStatus)") }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    static func packets(ofOgg bytes: [UInt8]) throws -> [[UInt8]] {
        var reader = OggOpusReader()
        let packets = try reader.push(bytes).map(\.data)
        try reader.finish()
        return packets
    }

    static func allFiles(under directory: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        return walker.compactMap { $0 as? String }.map { directory + "/" + $0 }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start] == needle[0] && Array(haystack[start..<start + needle.count]) == needle
        }
    }
}

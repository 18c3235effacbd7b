import Foundation
import Testing

extension ProcessHeavyTests {
    /// `earpiece loadgen` as a user runs it: it starts its own gateway, streams fixture calls in real time and
    /// reports what came back. The figures' sizes are not checked (a shared machine's timing varies); what
    /// must hold whatever the machine is that every packet sent is acked and stored, and that each figure
    /// counts what it says.
    @Suite("The load generator", .serialized)
    struct LoadgenCommandTests {
        struct Step: Decodable {
            struct Latency: Decodable {
                var count: Int
                var p50: Double?
                var p95: Double?
            }
            var calls: Int
            var tiers: [String: Int]
            var started: Int
            var refused: Int
            var dropped: Int
            var packets_sent: Int
            var packets_acked: Int
            var packets_stored: Int
            var unacked: Int
            var lost: Int
            var unread_recordings: Int
            var hint_latency_ms: Latency
            var unmatched_content_hints: Int
            var decision_latency_ms: Latency
            var dynamics_latency_ms: Latency
            var ack_latency_ms: Latency
            var send_lag_ms: Latency
            var server_cores: Double?
            var server_peak_resident_mb: Double?
        }

        static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/calls").path

        static func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
            let process = Process()
            process.executableURL = ChildServer.executable
            process.arguments = ["loadgen", "--fixtures-dir", fixtures] + arguments
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // The output is a line per step and errors a line or two: far below a pipe's buffer.
            let outputData = output.fileHandleForReading.readDataToEndOfFile()
            let errorData = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
        }

        static func steps(_ output: String) throws -> [Step] {
            try output.split(separator: "\n").map { try JSONDecoder().decode(Step.self, from: Data($0.utf8)) }
        }

        @Test func twoDynamicsCallsAreEachAckedAndStoredPacketForPacket() throws {
            let result = try Self.run([
                "--tier", "dynamics", "--calls", "1,2", "--seconds", "5", "--ramp-s", "0", "--pause-s", "0",
                "--fixtures", "pricing-call,monologue-call", "--json",
            ])
            #expect(result.status == 0, "\(result.errors)")
            let steps = try Self.steps(result.output)
            try #require(steps.count == 2)
            #expect(steps.map(\.calls) == [1, 2])
            let step = steps[1]
            #expect(step.tiers == ["dynamics": 2])
            #expect(step.started == 2 && step.refused == 0 && step.dropped == 0)
            // 5 s of 20 ms packets per call: 250 each, every one acked and in the recording read back over REST.
            #expect(step.packets_sent == 500)
            #expect(step.packets_acked == 500)
            #expect(step.packets_stored == 500)
            #expect(step.unacked == 0 && step.lost == 0 && step.unread_recordings == 0)
            #expect(step.ack_latency_ms.count == 500)
            #expect(step.send_lag_ms.count == 500)
            // A `dynamics` message per second of audio per call, each timed.
            #expect((8...10).contains(step.dynamics_latency_ms.count), "\(step.dynamics_latency_ms.count)")
            #expect((step.dynamics_latency_ms.p50 ?? -1) >= 0)
            #expect(step.server_cores != nil)
            #expect((step.server_peak_resident_mb ?? 0) > 1)
        }

        @Test func aKeyphraseHintIsTimedFromThePhraseInTheFixturesTimeline() throws {
            // The pricing call's customer names Acme at 26.3–28.4 s: the keyphrase tier hints on it.
            let result = try Self.run([
                "--tier", "keyphrase", "--calls", "1", "--seconds", "30", "--ramp-s", "0",
                "--fixtures", "pricing-call", "--json",
            ])
            #expect(result.status == 0, "\(result.errors)")
            let step = try #require(try Self.steps(result.output).first)
            #expect(step.tiers == ["keyphrase": 1])
            #expect(step.hint_latency_ms.count >= 1)
            #expect(step.decision_latency_ms.count >= step.hint_latency_ms.count)
            #expect(step.lost == 0 && step.unacked == 0)
        }

        @Test func badOptionsAndABadServerSettingAreRefusedWithTheReason() throws {
            let noCalls = try Self.run(["--calls", "0"])
            #expect(noCalls.status != 0)
            #expect(noCalls.errors.contains("--calls must be whole numbers from 1 to 10000"), "\(noCalls.errors)")
            let noToken = try Self.run(["--url", "ws://127.0.0.1:9"])
            #expect(noToken.status != 0)
            #expect(noToken.errors.contains("--url needs --token"), "\(noToken.errors)")
            let badURL = try Self.run(["--url", "ftp://127.0.0.1:9", "--token", "t"])
            #expect(badURL.status != 0)
            #expect(badURL.errors.contains("--url must be ws, wss, http or https"), "\(badURL.errors)")
            let missing = try Self.run(["--fixtures", "no-such-call", "--calls", "1"])
            #expect(missing.status != 0)
            #expect(missing.errors.contains("cannot read fixture"), "\(missing.errors)")
            // The gateway refuses the setting and exits; the load generator says where its log is.
            let badSetting = try Self.run(["--calls", "1", "--seconds", "1", "--server-setting", "max_streams=0", "--fixtures", "pricing-call"])
            #expect(badSetting.status != 0)
            #expect(badSetting.errors.contains("the gateway did not start; its log is"), "\(badSetting.errors)")
        }
    }
}

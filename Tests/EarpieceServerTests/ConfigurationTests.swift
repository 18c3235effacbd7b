import EarpieceServer
import Foundation
import Testing

@Suite("Gateway configuration")
struct ConfigurationTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("earpiece-config-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func environmentOverridesTheFileAndFlagsOverrideBoth() throws {
        var settings = GatewayConfiguration()
        let path = try Self.file(#"{"port": 9000, "max_streams": 40, "issuer": "idp"}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try settings.apply(file: path)
        try settings.apply(environment: ["EARPIECE_MAX_STREAMS": "30", "HOME": "/root", "EARPIECE_UNRELATED_THING": "x"])
        try settings.set("port", to: "9100", source: "--port")
        #expect(settings.port == 9100)
        #expect(settings.maxStreams == 30)
        #expect(settings.issuer == "idp")
        #expect(settings.maxStreamsPerOrg == 100)
    }

    @Test func badSettingsAreRefusedWithWhereTheyCameFrom() throws {
        var settings = GatewayConfiguration()
        let unknown = try Self.file(#"{"prot": 9000}"#)
        let notObject = try Self.file(#"[1,2]"#)
        defer { try? FileManager.default.removeItem(atPath: unknown); try? FileManager.default.removeItem(atPath: notObject) }
        #expect(throws: GatewayConfiguration.Problem.self) { try settings.apply(file: unknown) }
        #expect(throws: GatewayConfiguration.Problem.self) { try settings.apply(file: notObject) }
        #expect(throws: GatewayConfiguration.Problem.self) { try settings.apply(file: "/nonexistent/earpiece.json") }
        do {
            try settings.apply(environment: ["EARPIECE_PORT": "70000"])
            Issue.record("port 70000 accepted")
        } catch {
            #expect(error.description.contains("EARPIECE_PORT"))
        }
        #expect(throws: GatewayConfiguration.Problem.self) { try settings.set("idle_timeout_s", to: "0", source: "test") }
        #expect(throws: GatewayConfiguration.Problem.self) { try settings.set("accept_dev_key", to: "maybe", source: "test") }
    }

    @Test func theDecoderPoolsDefaultToWhatTheBoxsCoresCarry() throws {
        // A 2-core box carries one live transcript call (two decoders) beside 16 keyphrase calls within 1.4 cores.
        #expect(GatewayConfiguration.defaultDecoders(cores: 2) == (transcript: 2, keyphrase: 32))
        #expect(GatewayConfiguration.defaultDecoders(cores: 1) == (transcript: 2, keyphrase: 16))
        #expect(GatewayConfiguration.defaultDecoders(cores: 3) == (transcript: 2, keyphrase: 48))
        #expect(GatewayConfiguration.defaultDecoders(cores: 16) == (transcript: 16, keyphrase: 256))
        #expect(GatewayConfiguration.defaultDecoders(cores: 0) == (transcript: 2, keyphrase: 16))
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var settings = GatewayConfiguration()
        #expect(settings.transcriptDecoders == GatewayConfiguration.defaultDecoders(cores: cores).transcript)
        #expect(settings.keyphraseDecoders == GatewayConfiguration.defaultDecoders(cores: cores).keyphrase)
        try settings.apply(environment: ["EARPIECE_TRANSCRIPT_DECODERS": "6", "EARPIECE_KEYPHRASE_DECODERS": "0"])
        #expect(settings.transcriptDecoders == 6 && settings.keyphraseDecoders == 0)
    }

    @Test func theSummaryWorkersSettingsAreCheckedAndApplied() throws {
        var settings = GatewayConfiguration()
        #expect(settings.summaryWorker && settings.summaryDecoders == 2 && settings.workerLeaseSeconds == 120)
        for (key, value) in [("summary_decoders", "1"), ("summary_decoders", "17"), ("worker_lease_s", "0"),
                             ("worker_lease_s", "3601"), ("summary_worker", "sometimes")] {
            do {
                try settings.set(key, to: value, source: "test")
                Issue.record("\(key) = \(value) accepted")
            } catch {
                #expect(error.description.contains(key))
            }
        }
        try settings.apply(environment: ["EARPIECE_SUMMARY_WORKER": "false", "EARPIECE_SUMMARY_DECODERS": "4", "EARPIECE_WORKER_LEASE_S": "30"])
        #expect(!settings.summaryWorker && settings.summaryDecoders == 4 && settings.workerLeaseSeconds == 30)
    }
}

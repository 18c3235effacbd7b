import ArgumentParser
import EarpieceAuth
import Foundation

/// `earpiece loadgen`: many concurrent calls streamed in real time, and what the rep would feel
/// (`docs/loadgen.md`).
struct LoadgenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadgen",
        abstract: "Stream fixture calls concurrently in real time and measure hint latency, acks, loss, CPU and memory.",
        discussion: """
            Without --url it starts this executable's gateway on a temporary data directory, with settings that put \
            every call in --tier, and stops it afterwards. Each step of --calls runs that many calls at once; the \
            steps run one after another. See docs/loadgen.md for what each figure means.
            """
    )

    @Option(help: "Steps: how many concurrent calls each runs, comma-separated (e.g. 1,50,200).")
    var calls = "1,5,10"

    @Option(help: "The tier for a gateway the load generator starts: dynamics, keyphrase or transcript.")
    var tier = "transcript"

    @Option(help: "Fixture calls to stream, taken in turn (names in --fixtures-dir, without .opus).")
    var fixtures = "pricing-call,renewal-call,security-call,upgrade-call,monologue-call,expansion-call"

    @Option(name: .customLong("fixtures-dir"), help: "Where the fixtures and their timelines are.")
    var fixturesDirectory = "Fixtures/calls"

    @Option(help: "Stream only each fixture's first S seconds.")
    var seconds: Double?

    @Option(name: .customLong("ramp-s"), help: "Start a step's streams spread over this many seconds.")
    var rampSeconds = 10.0

    @Option(name: .customLong("pause-s"), help: "Seconds between steps.")
    var pauseSeconds = 5.0

    @Option(help: "A running gateway (ws://host:port) instead of starting one.")
    var url: String?

    @Option(help: "With --url: a rep token used for every call.")
    var token: String?

    @Option(name: .customLong("server-pid"), help: "With --url: the gateway's process id, for CPU and memory from /proc.")
    var serverPID: Int32?

    @Option(name: .customLong("server-setting"), help: "A setting for the gateway it starts, key=value (docs/configuration.md); repeat for several.")
    var serverSettings: [String] = []

    @Flag(help: "Keep the started gateway's data directory (its recordings and log).")
    var keep = false

    @Flag(help: "Print one JSON object per step instead of a table.")
    var json = false

    func validate() throws {
        guard !stepSizes.isEmpty, stepSizes.allSatisfy({ (1...10_000).contains($0) }) else {
            throw ValidationError("--calls must be whole numbers from 1 to 10000, comma-separated")
        }
        guard ["dynamics", "keyphrase", "transcript"].contains(tier) else {
            throw ValidationError("--tier must be dynamics, keyphrase or transcript")
        }
        guard rampSeconds >= 0, pauseSeconds >= 0, (seconds ?? 1) > 0 else {
            throw ValidationError("--ramp-s and --pause-s must not be negative, --seconds must be positive")
        }
        if url == nil {
            guard token == nil, serverPID == nil else { throw ValidationError("--token and --server-pid go with --url") }
        } else {
            guard token != nil else { throw ValidationError("--url needs --token") }
            guard serverSettings.isEmpty else { throw ValidationError("--server-setting is for a gateway the load generator starts") }
        }
        _ = try parsedSettings()
    }

    private var stepSizes: [Int] { calls.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    private func parsedSettings() throws(LoadgenFailure) -> [String: String] {
        var settings: [String: String] = [:]
        for setting in serverSettings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw LoadgenFailure("--server-setting must be key=value, not \"\(setting.prefix(80))\"") }
            settings[parts[0]] = parts[1]
        }
        return settings
    }

    func run() async throws {
        let loaded = try fixtures.split(separator: ",").map { name throws(LoadgenFailure) in
            try LoadFixture(named: String(name), directory: fixturesDirectory, seconds: seconds)
        }
        guard !loaded.isEmpty else { throw ValidationError("--fixtures names no fixture") }
        let steps = stepSizes

        let server: LoadServer?
        let target: LoadTarget
        let serverPID: Int32?
        if let url {
            (server, target, serverPID) = (nil, try LoadTarget(url: url), self.serverPID)
        } else {
            let settings = LoadServer.settings(tier: tier, calls: steps.max() ?? 1, extra: try parsedSettings())
            let started = try await LoadServer(executable: Self.executablePath, settings: settings, keepData: keep)
            (server, target, serverPID) = (started, started.target, started.pid)
            if !json {
                print("gateway: pid \(started.pid), \(started.target.baseURL), tier \(tier), data \(started.dataDirectory)")
            }
        }
        defer { server?.stop() }

        for (number, calls) in steps.enumerated() {
            if number > 0 { try await Task.sleep(for: .seconds(pauseSeconds)) }
            let tokens = try await tokens(count: calls, server: server)
            let report = await runStep(calls: calls, fixtures: loaded, target: target, tokens: tokens, serverPID: serverPID)
            if json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(LoadStepText.render(report))
            }
            // Each step as it ends, even into a file or a pipe (nil flushes every stream; `stdout` is not
            // concurrency-safe to name): a long run is read while it goes.
            fflush(nil)
        }
    }

    /// One token per call: from `--token`, or a rep of its own minted with the started gateway's dev key.
    private func tokens(count: Int, server: LoadServer?) async throws -> [String] {
        guard let server else { return Array(repeating: token ?? "", count: count) }
        var tokens: [String] = []
        for index in 0..<count {
            tokens.append(try await DevTokens.mint(
                dataDirectory: server.dataDirectory, issuer: "earpiece", audience: "earpiece-gateway",
                org: "load-org", env: "dev", user: "load-rep-\(index)", roles: ["rep"],
                scopes: [Scope.transcriptRead.rawValue], ttl: "12h"))
        }
        return tokens
    }

    /// Starts `calls` streams spread over the ramp, samples usage once a second until they end, and reports.
    private func runStep(calls: Int, fixtures: [LoadFixture], target: LoadTarget, tokens: [String], serverPID: Int32?) async -> LoadStepReport {
        let sending = LoadStreamCounter()
        let pacer = LoadPacer()
        let pacing = Task { await pacer.run() }
        let started = LoadClock.nanoseconds()
        let sampler = Task {
            var samples: [UsageSample] = []
            while !Task.isCancelled {
                samples.append(UsageSample(
                    at: LoadClock.nanoseconds(), server: ProcessUsage.read(pid: serverPID),
                    loadgen: ProcessUsage.read(pid: nil), sending: sending.value))
                try? await Task.sleep(for: .seconds(1))
            }
            return samples
        }
        let ramp = rampSeconds
        let logs = await withTaskGroup(of: (Int, LoadStreamLog).self) { group in
            for index in 0..<calls {
                let stream = LoadStream(fixture: fixtures[index % fixtures.count], gateway: target, token: tokens[index], sending: sending, pacer: pacer)
                group.addTask {
                    try? await Task.sleep(for: .seconds(ramp * Double(index) / Double(calls)))
                    return (index, await stream.run())
                }
            }
            var logs = [LoadStreamLog?](repeating: nil, count: calls)
            for await (index, log) in group { logs[index] = log }
            return logs.compactMap { $0 }
        }
        sampler.cancel()
        pacing.cancel()
        let samples = await sampler.value
        return LoadStepReport(
            calls: calls, logs: logs, fixtures: fixtures, samples: samples,
            wallSeconds: Double(LoadClock.nanoseconds() - started) / 1e9)
    }

    /// This executable, to start its `serve`.
    private static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

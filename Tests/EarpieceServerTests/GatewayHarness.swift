import EarpieceAuth
import EarpieceServer
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import ServiceLifecycle
import Testing

/// A real gateway on 127.0.0.1 with a fresh data directory, for the length of one test.
struct RunningGateway: Sendable {
    let port: Int
    let dataDirectory: String
    let configuration: GatewayConfiguration
    /// Starts the gateway's graceful shutdown, as SIGTERM does.
    let shutdown: @Sendable () async -> Void

    /// A token signed with this gateway's dev key.
    func token(roles: [String] = ["rep"], org: String = "acme-corp", env: String = "dev", user: String = "u-1", ttl: String = "1h",
               scopes: Set<Scope> = []) async throws -> String {
        let minter = TokenMinter(
            key: try DevSigningKey.loadOrCreate(dataDirectory: dataDirectory),
            issuer: configuration.issuer, audience: configuration.audience)
        guard let environment = TenantEnvironment(rawValue: env) else { throw TestError("bad env \(env)") }
        return try await minter.mint(
            userID: user, org: org, env: environment, roles: Set(roles.compactMap(Role.init(rawValue:))), scopes: scopes,
            ttl: try TokenLifetime(parsing: ttl).duration, now: Date())
    }

    var baseURL: String { "ws://127.0.0.1:\(port)" }
}

enum Harness {
    static let logger: Logger = {
        var logger = Logger(label: "earpiece.tests")
        logger.logLevel = .error
        return logger
    }()

    /// Runs `body` against a gateway started for it, then shuts the gateway down gracefully.
    static func withGateway(
        configure: (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @Sendable (RunningGateway) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("earpiece-gw-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = GatewayConfiguration()
        configuration.port = 0
        configuration.dataDirectory = directory
        // Tests send whole calls at once on a shared machine: a deep queue and a lag budget as long as the queue
        // keep guidance from skipping however slow the machine is, so hints are deterministic (a loaded CI box
        // once took over a minute to analyse a burst call; one test makes the queue shallow on purpose).
        configuration.guidanceQueueMilliseconds = 600_000
        configuration.maxGuidanceLagMilliseconds = 600_000
        // Without decoders every call is a dynamics call: these tests pin down the stream and its dynamics hints;
        // the tiers' own tests give the gateway decoders.
        configuration.transcriptDecoders = 0
        configuration.keyphraseDecoders = 0
        // Summaries take decoders and seconds of CPU per call: only the summary tests run the worker.
        configuration.summaryWorker = false
        configure(&configuration)
        let gateway = try await Gateway(configuration: configuration, logger: logger)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let services = gateway.services { channel in
            portSink.yield(channel.localAddress?.port ?? 0)
            portSink.finish()
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await group.triggerGracefulShutdown()
                throw TestError("the gateway did not report a port")
            }
            let running = RunningGateway(
                port: port, dataDirectory: directory, configuration: configuration,
                shutdown: { await group.triggerGracefulShutdown() })
            do {
                try await body(running)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

import ArgumentParser
import EarpieceCalls
import EarpieceServer
import Foundation
import Logging
import ServiceLifecycle

/// `earpiece worker`: runs the summary worker as its own process, on the same data directory as the server.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the summary worker on its own, beside a server on the same data directory.",
        discussion: """
            Leases summary jobs from the data directory's queue, summarises the calls and completes the jobs, until \
            SIGTERM or SIGINT. Any number of workers (and servers) can share one data directory: a job is leased to \
            one at a time, and a worker that dies loses its job when the lease expires (worker_lease_s). Run the \
            server with summary_worker=false to leave every summary to these workers. Settings as for serve.
            """
    )

    @Option(name: .customLong("data-dir"), help: "The server's data directory (default ./data).")
    var dataDirectory: String?

    @Option(help: "A JSON configuration file.")
    var config: String?

    func run() async throws {
        var settings = GatewayConfiguration()
        do {
            if let config { try settings.apply(file: config) }
            try settings.apply(environment: ProcessInfo.processInfo.environment)
            if let dataDirectory { try settings.set("data_dir", to: dataDirectory, source: "--data-dir") }
        } catch {
            throw ValidationError(error.description)
        }
        var logger = Logger(label: "earpiece.worker")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let worker: SummaryWorker
        do {
            worker = try await Gateway.standaloneSummaryWorker(configuration: settings, logger: logger)
        } catch let error as WorkerSetupError {
            throw ValidationError(error.description)
        }
        let group = ServiceGroup(configuration: .init(
            services: [SummaryWorkerService(worker: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

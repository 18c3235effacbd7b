import EarpieceCalls
import ServiceLifecycle

/// The summary worker as one of the server's services: it stops taking jobs at graceful shutdown; a job it was
/// running is left leased and goes back to the queue when its lease expires.
public struct SummaryWorkerService: Service {
    let worker: SummaryWorker

    public init(worker: SummaryWorker) {
        self.worker = worker
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await worker.run()
        }
    }
}

/// Why `earpiece worker` cannot start.
public struct WorkerSetupError: Error, CustomStringConvertible {
    public var description: String
}

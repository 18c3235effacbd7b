import Logging
import ServiceLifecycle

/// Runs a background job (the retention sweeper, key rewrap) once at start and then every `interval`, until
/// graceful shutdown. A failed run is logged and retried at the next tick; it never stops the server.
struct PeriodicJob: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let body: @Sendable () async throws -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await body()
                } catch {
                    logger.error("background job failed", metadata: ["job": .string(name), "reason": .string("\(error)")])
                }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}

import EarpieceAuth
import Logging
import ServiceLifecycle

/// Re-reads the identity provider's JWKS file on a schedule, so that its keys rotate without a restart.
///
/// A reload that fails keeps the keys already in force (the verifier guarantees it); the failure is logged.
struct JWKSRefresh: Service {
    let verifier: TokenVerifier
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Ends at graceful shutdown: the sleep is cancelled and the loop stops.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    try await verifier.reloadJWKS()
                } catch {
                    logger.warning("JWKS reload failed; the keys already loaded stay in force", metadata: ["reason": .string(String(describing: error))])
                }
            }
        }
    }
}

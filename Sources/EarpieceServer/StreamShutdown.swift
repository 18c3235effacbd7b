import EarpieceCalls
import ServiceLifecycle

/// Ends open streams with 1001 when the gateway shuts down, before the server stops: listed after the
/// application in the service group, it is shut down first.
struct StreamShutdown: Service {
    let admission: StreamAdmission
    /// How long streams get to send their last messages and close.
    let grace: Duration

    func run() async throws {
        // Returns when graceful shutdown starts; throws only if the service is cancelled outright.
        try await gracefulShutdown()
        admission.stopAll(CallEnd(.goingAway, "the server is shutting down; reconnect with the call_id"))
        let deadline = ContinuousClock.now + grace
        while admission.openStreams > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

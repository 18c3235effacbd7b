import CoreMetrics

/// The metrics every call session reports, made from the factory the server passes in (Prometheus there;
/// the no-op factory in replay and in tests that don't look).
public struct CallMetrics: Sendable {
    let framesReceived: Counter
    let bytesReceived: Counter
    let duplicateFrames: Counter
    let lostFrames: Counter
    let decodeErrors: Counter
    let guidanceSkippedSeconds: FloatingPointCounter
    let hintLatency: Timer
    let pipelineLag: Timer
    let droppedMessages: Counter
    private let factory: any MetricsFactory

    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
        framesReceived = Counter(label: "earpiece_audio_frames_received_total", factory: factory)
        bytesReceived = Counter(label: "earpiece_audio_bytes_received_total", factory: factory)
        duplicateFrames = Counter(label: "earpiece_audio_frames_duplicate_total", factory: factory)
        lostFrames = Counter(label: "earpiece_audio_frames_lost_total", factory: factory)
        decodeErrors = Counter(label: "earpiece_audio_decode_errors_total", factory: factory)
        guidanceSkippedSeconds = FloatingPointCounter(label: "earpiece_guidance_skipped_audio_seconds_total", factory: factory)
        hintLatency = Timer(label: "earpiece_hint_latency_seconds", preferredDisplayUnit: .seconds, factory: factory)
        pipelineLag = Timer(label: "earpiece_pipeline_lag_seconds", preferredDisplayUnit: .seconds, factory: factory)
        droppedMessages = Counter(label: "earpiece_messages_dropped_total", factory: factory)
    }

    func hintSent(kind: String) {
        Counter(label: "earpiece_hints_total", dimensions: [("kind", kind)], factory: factory).increment()
    }

    /// Candidate hints the call's hint policy held back, by reason (cooldown, duplicate, budget).
    func hintsSuppressed(reason: String, count: Int) {
        Counter(label: "earpiece_hints_suppressed_total", dimensions: [("reason", reason)], factory: factory)
            .increment(by: count)
    }

    func hintFeedback(action: String) {
        Counter(label: "earpiece_hint_feedback_total", dimensions: [("action", action)], factory: factory).increment()
    }
}

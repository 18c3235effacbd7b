import Foundation

/// The figures of one load step (`docs/loadgen.md` defines each), computed from its streams' logs and the
/// usage samples taken while it ran.
struct LoadStepReport: Encodable, Sendable {
    /// p50, p95, p99 and max of a set of latencies, in ms; nil when there were none.
    struct Latency: Encodable, Sendable {
        var count: Int
        var p50: Double?
        var p95: Double?
        var p99: Double?
        var max: Double?

        init(_ values: [Double]) {
            let sorted = values.sorted()
            count = sorted.count
            func rank(_ p: Double) -> Double? {
                guard !sorted.isEmpty else { return nil }
                // Nearest rank: the smallest value with at least p % of the values at or below it.
                let index = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
                return (sorted[Swift.max(0, Swift.min(sorted.count - 1, index))] * 10).rounded() / 10
            }
            (p50, p95, p99, max) = (rank(50), rank(95), rank(99), sorted.last.map { ($0 * 10).rounded() / 10 })
        }
    }

    var calls: Int
    /// Tiers the server admitted the streams to (`ready`), by name.
    var tiers: [String: Int]
    var started: Int
    var refused: Int
    var dropped: Int
    /// Why streams were refused or dropped, by reason, at most a few.
    var failures: [String: Int]
    var packetsSent: Int
    var packetsAcked: Int
    var packetsStored: Int
    /// Sent but never acked.
    var unacked: Int
    /// Acked but not in the recording: audio the server promised and lost. Must be 0.
    var lost: Int
    /// Calls whose recording could not be read back.
    var unreadRecordings: Int
    var hintLatencyMs: Latency
    /// Content hints that match no phrase of their intent in the timeline, so cannot be timed from one.
    var unmatchedContentHints: Int
    var decisionLatencyMs: Latency
    var dynamicsLatencyMs: Latency
    var ackLatencyMs: Latency
    var sendLagMs: Latency
    var warnings: [String: Int]
    /// CPU seconds per wall second over the window in which all calls were sending (the whole step if never).
    var serverCores: Double?
    var serverCoresPerCall: Double?
    var serverPeakResidentMB: Double?
    var serverResidentBeforeMB: Double?
    var loadgenCores: Double?
    /// Seconds of the steady window the CPU figures cover.
    var steadySeconds: Double
    var wallSeconds: Double

    init(calls: Int, logs: [LoadStreamLog], fixtures: [LoadFixture], samples: [UsageSample], wallSeconds: Double) {
        self.calls = calls
        self.wallSeconds = (wallSeconds * 10).rounded() / 10
        tiers = logs.compactMap(\.tier).reduce(into: [:]) { $0[$1, default: 0] += 1 }
        started = logs.count
        refused = logs.filter(\.wasRefused).count
        dropped = logs.filter(\.wasDropped).count
        failures = logs.filter { $0.wasRefused || $0.wasDropped }.reduce(into: [:]) { counts, log in
            let reason = log.errorCode ?? log.failure.map { String($0.prefix(60)) } ?? "close \(log.closeCode.map(String.init) ?? "none")"
            counts[reason, default: 0] += 1
        }
        packetsSent = logs.map(\.packetsSent).reduce(0, +)
        packetsAcked = logs.map(\.packetsAcked).reduce(0, +)
        let admitted = logs.filter { !$0.wasRefused }
        packetsStored = admitted.compactMap(\.storedPackets).reduce(0, +)
        unreadRecordings = admitted.filter { $0.storedPackets == nil }.count
        unacked = packetsSent - packetsAcked
        lost = admitted.reduce(0) { lost, log in lost + max(0, log.packetsAcked - (log.storedPackets ?? 0)) }

        var hint: [Double] = [], decision: [Double] = [], dynamics: [Double] = [], ack: [Double] = [], lag: [Double] = []
        var unmatched = 0
        var warnings: [String: Int] = [:]
        for (index, log) in logs.enumerated() {
            let fixture = fixtures[index % fixtures.count]
            func sinceSent(_ packet: Int, _ at: UInt64) -> Double? {
                let sent = log.sentAt[packet]
                return sent == 0 ? nil : (Double(at) - Double(sent)) / 1e6
            }
            var acked = 0
            for event in log.events {
                switch event.what {
                case .ack(let seq):
                    // Every packet this ack newly covers was waiting since it was sent.
                    while acked <= min(seq, log.sentAt.count - 1) {
                        if let latency = sinceSent(acked, event.at) { ack.append(latency) }
                        acked += 1
                    }
                case .hint(let kind, let speaker, let audioTimeMs):
                    if let latency = sinceSent(fixture.packetIndex(reaching: audioTimeMs), event.at) { decision.append(latency) }
                    guard Self.contentKinds.contains(kind) else { continue }
                    if let phrase = fixture.phrase(for: kind, speaker: speaker, audioTimeMs: audioTimeMs),
                       let latency = sinceSent(fixture.packetIndex(reaching: phrase.endMs), event.at) {
                        hint.append(latency)
                    } else {
                        unmatched += 1
                    }
                case .dynamics(let audioTimeMs):
                    if let latency = sinceSent(fixture.packetIndex(reaching: audioTimeMs), event.at) { dynamics.append(latency) }
                case .warning(let code):
                    warnings[code, default: 0] += 1
                }
            }
            for (due, sent) in zip(log.dueAt, log.sentAt) where sent != 0 {
                lag.append(max(0, Double(sent) - Double(due)) / 1e6)
            }
        }
        hintLatencyMs = Latency(hint)
        unmatchedContentHints = unmatched
        decisionLatencyMs = Latency(decision)
        dynamicsLatencyMs = Latency(dynamics)
        ackLatencyMs = Latency(ack)
        sendLagMs = Latency(lag)
        self.warnings = warnings

        // The steady window: the samples taken while every call was sending; the whole step otherwise.
        let steady = samples.filter { $0.sending == calls }
        let window = steady.count >= 2 ? steady : samples
        steadySeconds = 0
        if let first = window.first, let last = window.last, last.at > first.at {
            let seconds = Double(last.at - first.at) / 1e9
            steadySeconds = (seconds * 10).rounded() / 10
            if let a = first.server, let b = last.server {
                serverCores = Self.rounded((b.cpuSeconds - a.cpuSeconds) / seconds)
                serverCoresPerCall = serverCores.map { Self.rounded($0 / Double(calls), places: 5) }
            }
            if let a = first.loadgen, let b = last.loadgen { loadgenCores = Self.rounded((b.cpuSeconds - a.cpuSeconds) / seconds) }
        }
        serverPeakResidentMB = samples.compactMap(\.server?.residentBytes).max().map { Self.rounded(Double($0) / 1e6, places: 1) }
        serverResidentBeforeMB = samples.first?.server.map { Self.rounded(Double($0.residentBytes) / 1e6, places: 1) }
    }

    /// The intents whose hints are timed from their phrase; the rest (dynamics hints) only by decision.
    static let contentKinds: Set<String> = [
        "pricing_objection", "competitor_mention", "timing_objection", "authority_objection", "next_step",
        "buying_signal", "churn_risk", "security_concern",
    ]

    private static func rounded(_ value: Double, places: Int = 3) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}

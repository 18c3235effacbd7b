/// A load step's report as the table `earpiece loadgen` prints.
enum LoadStepText {
    static func render(_ report: LoadStepReport) -> String {
        func latency(_ name: String, _ value: LoadStepReport.Latency) -> String {
            let figures = [value.p50, value.p95, value.p99, value.max].map { $0.map { format($0) } ?? "-" }
            return "  \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) n=\(String(value.count).padding(toLength: 7, withPad: " ", startingAt: 0)) p50 \(figures[0])  p95 \(figures[1])  p99 \(figures[2])  max \(figures[3]) ms"
        }
        func counts(_ values: [String: Int]) -> String {
            values.isEmpty ? "none" : values.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        func optional(_ value: Double?, _ unit: String) -> String { value.map { "\(format($0))\(unit)" } ?? "-" }
        return """
            \(report.calls) concurrent calls (\(format(report.wallSeconds)) s; tiers: \(counts(report.tiers)))
              streams: \(report.started) started, \(report.refused) refused, \(report.dropped) dropped\(report.failures.isEmpty ? "" : " (\(counts(report.failures)))")
              packets: \(report.packetsSent) sent, \(report.packetsAcked) acked, \(report.packetsStored) stored; unacked \(report.unacked), lost \(report.lost)\(report.unreadRecordings > 0 ? ", \(report.unreadRecordings) recordings unread" : "")
            \(latency("hint (phrase end)", report.hintLatencyMs))\(report.unmatchedContentHints > 0 ? "  (+\(report.unmatchedContentHints) unmatched)" : "")
            \(latency("hint (decision)", report.decisionLatencyMs))
            \(latency("dynamics", report.dynamicsLatencyMs))
            \(latency("ack", report.ackLatencyMs))
            \(latency("send lag", report.sendLagMs))
              warnings: \(counts(report.warnings))
              server: \(optional(report.serverCores, " cores")) over \(format(report.steadySeconds)) s with all calls sending (\(optional(report.serverCoresPerCall, " per call"))), RSS \(optional(report.serverResidentBeforeMB, " MB")) before, peak \(optional(report.serverPeakResidentMB, " MB")); loadgen \(optional(report.loadgenCores, " cores"))
            """
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}

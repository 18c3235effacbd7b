import CoreMetrics
import EarpieceCalls
import Synchronization

/// Counts open streams, per organisation and in all, turns away what is over either limit, and knows the open
/// sessions so that shutdown can end each one in order.
final class StreamAdmission: Sendable {
    /// Proof of admission; give it back with `release` when the stream ends.
    struct Ticket: Sendable {
        let org: String
    }

    let maxStreams: Int
    let maxStreamsPerOrg: Int
    private let counts = Mutex<(total: Int, byOrg: [String: Int])>((0, [:]))
    private let sessions = Mutex<(open: [ObjectIdentifier: CallSession], stopping: CallEnd?)>(([:], nil))
    private let active: Meter

    init(maxStreams: Int, maxStreamsPerOrg: Int, metrics: any MetricsFactory) {
        self.maxStreams = maxStreams
        self.maxStreamsPerOrg = maxStreamsPerOrg
        active = Meter(label: "earpiece_active_streams", factory: metrics)
    }

    /// Admits a stream for `org`, or says which limit it hit.
    func admit(org: String) -> Result<Ticket, Refusal> {
        let outcome: Result<Ticket, Refusal> = counts.withLock { counts in
            guard counts.total < maxStreams else { return .failure(.server(maxStreams)) }
            guard counts.byOrg[org, default: 0] < maxStreamsPerOrg else { return .failure(.organisation(maxStreamsPerOrg)) }
            counts.total += 1
            counts.byOrg[org, default: 0] += 1
            return .success(Ticket(org: org))
        }
        if case .success = outcome { active.increment() }
        return outcome
    }

    /// Records an admitted stream's session, so that `stopAll` reaches it; a session that registers after
    /// `stopAll` (its upgrade was under way) is stopped at once.
    func register(_ session: CallSession) {
        let stopping = sessions.withLock { state -> CallEnd? in
            state.open[ObjectIdentifier(session)] = session
            return state.stopping
        }
        if let stopping { session.stop(stopping) }
    }

    /// Ends every open session, and every one that registers from now on, with `end`.
    func stopAll(_ end: CallEnd) {
        let open = sessions.withLock { state in
            state.stopping = end
            return Array(state.open.values)
        }
        for session in open { session.stop(end) }
    }

    func release(_ ticket: Ticket, session: CallSession? = nil) {
        if let session { sessions.withLock { $0.open[ObjectIdentifier(session)] = nil } }
        counts.withLock { counts in
            counts.total -= 1
            let left = counts.byOrg[ticket.org, default: 1] - 1
            counts.byOrg[ticket.org] = left > 0 ? left : nil
        }
        active.decrement()
    }

    /// Streams open now.
    var openStreams: Int { counts.withLock { $0.total } }

    enum Refusal: Error {
        case server(Int)
        case organisation(Int)

        var reason: String {
            switch self {
            case .server(let limit): "the server carries its limit of \(limit) streams; retry shortly"
            case .organisation(let limit): "your organisation has its limit of \(limit) open streams; retry when one ends"
            }
        }
    }
}

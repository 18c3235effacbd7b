import EarpieceCalls

/// The human-readable form of server messages, one line each, for `earpiece replay` without `--json`.
enum ReplayOutput {
    /// The line for `message`, or nil for the once-a-second dynamics and the partial transcripts, which only
    /// `--json` prints.
    static func line(for message: ServerMessage) -> String? {
        switch message {
        case .hint(let hint):
            "\(clock(hint.audioTimeMs))  hint  \(hint.kind.rawValue) (\(hint.speaker.rawValue)): \(hint.title) — \(hint.body)  [\(hint.trigger)]"
        case .dynamics:
            nil
        case .transcript(let line):
            line.isFinal
                ? "\(clock(line.endMs))  said  \(line.speaker.rawValue) [\(clock(line.startMs))–\(clock(line.endMs))]: \(line.text)"
                : nil
        case .warning(let warning) where warning.tier != nil:
            "          warning  \(warning.code): \(warning.message)"
        case .closed(let closed):
            "\(clock(closed.audioTimeMs))  closed  \(closed.packets) packets, \(closed.lostPackets) lost"
        case .ready(let ready):
            "00:00.000  ready  call \(ready.callId), tier \(ready.tier)"
        default:
            message.json()
        }
    }

    static func clock(_ ms: Int) -> String {
        let minutes = ms / 60_000, seconds = ms / 1000 % 60, millis = ms % 1000
        return "\(minutes < 10 ? "0" : "")\(minutes):\(seconds < 10 ? "0" : "")\(seconds).\(String(millis + 1000).dropFirst())"
    }
}

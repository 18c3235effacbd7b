import EarpieceGuidance
import Synchronization

/// The hints a stream session showed and the rep's feedback on them, kept for the call's summary. Kinds, times
/// and ids only; the session saves them to the store when it ends.
final class ShownHints: Sendable {
    struct Entry: Sendable, Equatable {
        var id: String
        var kind: String
        var speaker: String
        var audioTimeMs: Int
        var confidence: Double
        var feedback: ClientMessage.HintAction?
    }

    /// More than a call shows under any hint budget (4 per 2 minutes is 120 an hour); past it, hints are
    /// still sent but no longer remembered.
    static let capacity = 2_000

    private let entries = Mutex<[Entry]>([])

    func record(_ hint: Hint) {
        entries.withLock { list in
            guard list.count < Self.capacity else { return }
            list.append(Entry(id: hint.id, kind: hint.kind.rawValue, speaker: hint.speaker.rawValue,
                              audioTimeMs: hint.audioTimeMs, confidence: hint.confidence, feedback: nil))
        }
    }

    /// Records the rep's feedback on a hint this session showed; returns false for an id it never showed.
    @discardableResult
    func feedback(hintID: String, _ action: ClientMessage.HintAction) -> Bool {
        entries.withLock { list in
            guard let index = list.firstIndex(where: { $0.id == hintID }) else { return false }
            list[index].feedback = action
            return true
        }
    }

    var all: [Entry] { entries.withLock { $0 } }
}

import EarpieceCalls
import Synchronization

/// The session's client: encodes every message to JSON, as the gateway does before writing it to the socket,
/// and counts the messages and their bytes.
final class MessageTally: Sendable {
    private let totals = Mutex<(messages: Int, bytes: Int)>((0, 0))

    func send(_ message: ServerMessage) {
        let bytes = message.json().utf8.count
        totals.withLock {
            $0.messages += 1
            $0.bytes += bytes
        }
    }

    var messages: Int { totals.withLock { $0.messages } }
    var bytes: Int { totals.withLock { $0.bytes } }
}

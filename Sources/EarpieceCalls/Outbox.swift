import Synchronization

/// The bounded queue of messages waiting to be written to one client.
///
/// In `.realtime` pacing a client that stops reading must not hold up its call's guidance, so a full outbox
/// drops its oldest `dynamics` message (or, if it holds none, its oldest message) to make room. In
/// `.lossless` pacing (replay) the producer waits instead.
final class Outbox: Sendable {
    private struct State {
        var messages: [ServerMessage] = []
        var head = 0
        var closed = false
        var dropped = 0
        var reader: CheckedContinuation<ServerMessage?, Never>?
        var writers: [CheckedContinuation<Void, Never>] = []
    }

    let capacity: Int
    let waitsWhenFull: Bool
    private let state = Mutex(State())

    init(capacity: Int, waitsWhenFull: Bool) {
        self.capacity = max(2, capacity)
        self.waitsWhenFull = waitsWhenFull
    }

    /// Messages dropped because the client did not keep up.
    var droppedCount: Int { state.withLock { $0.dropped } }

    /// Queues a message; after `close()` it is ignored.
    func push(_ message: ServerMessage) async {
        if waitsWhenFull {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let full = state.withLock { state in
                    let full = !state.closed && state.messages.count - state.head >= capacity
                    if full { state.writers.append(continuation) }
                    return full
                }
                if !full { continuation.resume() }
            }
        }
        let reader = state.withLock { state -> CheckedContinuation<ServerMessage?, Never>? in
            guard !state.closed else { return nil }
            if let reader = state.reader {
                state.reader = nil
                return reader
            }
            if state.messages.count - state.head >= capacity { Self.dropOne(from: &state) }
            state.messages.append(message)
            return nil
        }
        reader?.resume(returning: message)
    }

    /// No more messages will be queued; the reader drains what is there, then gets nil.
    func close() {
        let (reader, writers) = state.withLock { state in
            state.closed = true
            let reader = state.messages.count > state.head ? nil : state.reader
            state.reader = nil
            let writers = state.writers
            state.writers = []
            return (reader, writers)
        }
        reader?.resume(returning: nil)
        for writer in writers { writer.resume() }
    }

    /// The next message to write; nil once closed and drained.
    func next() async -> ServerMessage? {
        await withCheckedContinuation { (continuation: CheckedContinuation<ServerMessage?, Never>) in
            let (ready, writers) = state.withLock { state -> (ServerMessage??, [CheckedContinuation<Void, Never>]) in
                if state.head < state.messages.count {
                    let message = state.messages[state.head]
                    state.head += 1
                    if state.head > 64, state.head * 2 > state.messages.count {
                        state.messages.removeFirst(state.head)
                        state.head = 0
                    }
                    let writers = state.writers
                    state.writers = []
                    return (.some(message), writers)
                }
                if state.closed { return (.some(nil), []) }
                state.reader = continuation
                return (nil, [])
            }
            for writer in writers { writer.resume() }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private static func dropOne(from state: inout State) {
        let pending = state.head..<state.messages.count
        let victim = pending.first { if case .dynamics = state.messages[$0] { true } else { false } } ?? state.head
        state.messages.remove(at: victim)
        state.dropped += 1
    }
}

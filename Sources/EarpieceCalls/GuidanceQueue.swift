import Synchronization

/// The bounded queue between a call's intake (which reads the socket) and its guidance (which analyses audio).
///
/// Its capacity is audio time, not a count. The intake never waits in `.realtime` pacing: when the queue is
/// full, the packet's analysis is skipped and its duration is carried to the next packet that fits, so the
/// guidance can keep the call's clock right. In `.lossless` pacing (replay) the intake waits for room instead.
final class GuidanceQueue: Sendable {
    enum Item: Sendable {
        case packet(QueuedPacket)
        /// Everything before this has been analysed; answer with `finalized`.
        case finalize
    }

    struct QueuedPacket: Sendable {
        var data: [UInt8]
        /// The packet's place in the stream, for loss concealment; nil after a skip.
        var sequence: UInt64?
        /// The packet's duration in 48 kHz samples.
        var samples: Int
        /// When the packet arrived, for hint latency and pipeline lag.
        var arrival: ContinuousClock.Instant
        /// Audio (48 kHz samples) whose analysis was skipped just before this packet.
        var skippedBefore: Int
    }

    private struct State {
        var items: [Item] = []
        var head = 0
        var queuedSamples = 0
        var pendingSkip = 0
        var finished = false
        var consumer: CheckedContinuation<Item?, Never>?
        var producers: [CheckedContinuation<Void, Never>] = []
    }

    let capacitySamples: Int
    private let state = Mutex(State())

    init(capacityMilliseconds: Int) {
        capacitySamples = max(1, capacityMilliseconds) * 48
    }

    /// Enqueues without waiting; returns false (and records a skip) when the queue is full.
    func offer(_ packet: QueuedPacket) -> Bool {
        let resumed: CheckedContinuation<Item?, Never>?
        let item: Item
        (resumed, item) = state.withLock { state in
            guard state.queuedSamples + packet.samples <= capacitySamples || state.queuedSamples == 0 else {
                state.pendingSkip += packet.samples
                return (nil, .finalize)
            }
            var packet = packet
            packet.skippedBefore += state.pendingSkip
            if state.pendingSkip > 0 { packet.sequence = nil }
            state.pendingSkip = 0
            return Self.push(.packet(packet), samples: packet.samples, into: &state)
        }
        guard case .packet = item else { return false }
        resumed?.resume(returning: item)
        return true
    }

    /// Enqueues, waiting for room first. Only one task may produce.
    func send(_ packet: QueuedPacket) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let full = state.withLock { state in
                let full = state.queuedSamples > 0 && state.queuedSamples + packet.samples > capacitySamples
                if full { state.producers.append(continuation) }
                return full
            }
            if !full { continuation.resume() }
        }
        // The consumer only ever makes room, so with a single producer this cannot be refused… unless the
        // wake-up came while another packet's worth was still queued: then try again.
        if !offerIfRoom(packet) { await send(packet) }
    }

    private func offerIfRoom(_ packet: QueuedPacket) -> Bool {
        let outcome = state.withLock { state -> (CheckedContinuation<Item?, Never>?, Item)? in
            guard state.queuedSamples == 0 || state.queuedSamples + packet.samples <= capacitySamples else { return nil }
            return Self.push(.packet(packet), samples: packet.samples, into: &state)
        }
        guard let outcome else { return false }
        outcome.0?.resume(returning: outcome.1)
        return true
    }

    /// Enqueues a control item, which is never refused.
    func control(_ item: Item) {
        let (resumed, value) = state.withLock { state in Self.push(item, samples: 0, into: &state) }
        resumed?.resume(returning: value)
    }

    /// No more items will come; the consumer drains what is queued, then gets nil.
    func finish() {
        let resumed = state.withLock { state -> CheckedContinuation<Item?, Never>? in
            state.finished = true
            let consumer = state.consumer
            state.consumer = nil
            return state.items.count > state.head ? nil : consumer
        }
        resumed?.resume(returning: nil)
    }

    /// Audio skipped since the last packet that was queued (to account for at the end of the stream).
    var pendingSkipSamples: Int { state.withLock { $0.pendingSkip } }

    /// The next item, waiting for one; nil once the queue is finished and drained.
    func next() async -> Item? {
        // Most of the time an item is already queued: take it without a continuation, which allocates.
        let (ready, producers) = state.withLock { Self.take(from: &$0) }
        for producer in producers { producer.resume() }
        if let ready { return ready }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Item?, Never>) in
            let (ready, producers) = state.withLock { state -> (Item??, [CheckedContinuation<Void, Never>]) in
                let taken = Self.take(from: &state)
                if taken.0 == nil { state.consumer = continuation }
                return taken
            }
            for producer in producers { producer.resume() }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The first queued item (or nil inside, once finished and drained) and the producers to wake now that
    /// there is room; nothing when the consumer must wait.
    private static func take(from state: inout State) -> (Item??, [CheckedContinuation<Void, Never>]) {
        if state.head < state.items.count {
            let item = state.items[state.head]
            state.head += 1
            if case .packet(let packet) = item { state.queuedSamples -= packet.samples }
            if state.head > 64, state.head * 2 > state.items.count {
                state.items.removeFirst(state.head)
                state.head = 0
            }
            let producers = state.producers
            state.producers = []
            return (.some(item), producers)
        }
        if state.finished { return (.some(nil), []) }
        return (nil, [])
    }

    private static func push(_ item: Item, samples: Int, into state: inout State) -> (CheckedContinuation<Item?, Never>?, Item) {
        if let consumer = state.consumer {
            state.consumer = nil
            return (consumer, item)
        }
        state.items.append(item)
        state.queuedSamples += samples
        return (nil, item)
    }
}

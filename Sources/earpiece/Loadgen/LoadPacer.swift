import Synchronization

/// Wakes the streams of a step when their next packet is due, from one clock task for all of them.
///
/// A `Task.sleep` per packet per stream costs a timer of its own each time (10,000 a second at 200 calls), which
/// on Linux made the load generator's timers cost more than its sending. Here one task ticks every `tick` and
/// resumes whoever is due; a packet leaves at most one tick late, and the send lag figure shows by how much.
final class LoadPacer: Sendable {
    private struct Sleeper {
        var deadline: UInt64
        var continuation: UnsafeContinuation<Void, Never>
    }

    private let sleepers = Mutex<[Sleeper]>([])
    private let stopped = Atomic<Bool>(false)

    /// Returns once the load generator's clock reaches `deadline` (nanoseconds), or at once when stopped.
    func wait(until deadline: UInt64) async {
        guard LoadClock.nanoseconds() < deadline, !stopped.load(ordering: .acquiring) else { return }
        await withUnsafeContinuation { continuation in
            let late = sleepers.withLock { sleepers in
                // Checked again under the lock: `run` may have stopped between the check above and here.
                if stopped.load(ordering: .acquiring) { return true }
                sleepers.append(Sleeper(deadline: deadline, continuation: continuation))
                return false
            }
            if late { continuation.resume() }
        }
    }

    /// Ticks until cancelled, then wakes everyone still waiting.
    func run(tick: Duration = .milliseconds(2)) async {
        var due: [UnsafeContinuation<Void, Never>] = []
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            let now = LoadClock.nanoseconds()
            sleepers.withLock { sleepers in
                var kept = 0
                for index in sleepers.indices {
                    if sleepers[index].deadline <= now {
                        due.append(sleepers[index].continuation)
                    } else {
                        sleepers[kept] = sleepers[index]
                        kept += 1
                    }
                }
                sleepers.removeSubrange(kept...)
            }
            for continuation in due { continuation.resume() }
            due.removeAll(keepingCapacity: true)
        }
        let remaining = sleepers.withLock { sleepers in
            stopped.store(true, ordering: .releasing)
            defer { sleepers.removeAll() }
            return sleepers.map(\.continuation)
        }
        for continuation in remaining { continuation.resume() }
    }
}

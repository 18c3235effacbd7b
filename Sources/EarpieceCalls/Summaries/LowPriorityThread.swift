import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs CPU-heavy background work (a call's summary) on a thread of its own under Linux's `SCHED_IDLE` policy
/// (and nice 19, should that policy be refused), so that the kernel runs it only on CPU the live calls' threads
/// leave. Nice 19 alone still took measurable time from live hints (docs/performance.md). On Linux both are per
/// thread; the process and its other threads keep theirs.
enum LowPriorityThread {
    /// `SCHED_IDLE` from <sched.h> (Linux 2.6.23+), which Swift's Glibc module does not import.
    static let schedulingIdle: Int32 = 5

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                #if canImport(Glibc)
                // On Linux the nice value belongs to the thread, and `who` 0 names the calling thread only.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
                var parameters = sched_param(sched_priority: 0)
                _ = sched_setscheduler(0, schedulingIdle, &parameters)
                #endif
                continuation.resume(with: Result { try work() })
            }
            thread.name = "earpiece-summary"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs CPU-heavy background work (a call's summary) on a thread of its own at the lowest scheduling priority
/// (nice 19), so that the kernel gives the live calls' threads the CPU first. On Linux a nice value is per
/// thread; the process and its other threads keep theirs.
enum LowPriorityThread {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                #if canImport(Glibc)
                // On Linux the nice value belongs to the thread, and `who` 0 names the calling thread only.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
                #endif
                continuation.resume(with: Result { try work() })
            }
            thread.name = "earpiece-summary"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

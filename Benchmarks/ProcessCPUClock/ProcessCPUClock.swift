import Benchmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's CPU time, all threads, in nanoseconds, reported to a benchmark as a metric of its own.
///
/// ordo-one's `.cpuTotal` reads `/proc/self/stat`, which counts in 10 ms ticks: an iteration of a millisecond
/// shows 0 or 10,000 µs. `CLOCK_PROCESS_CPUTIME_ID` counts the same time (user and system, every thread) to the
/// nanosecond, so rows that are quicker than a tick still get a CPU column, which is the figure to read on a
/// box that other work shares.
public struct ProcessCPUClock {
    /// The metric the clock reports: CPU microseconds per iteration. List it in a configuration's metrics.
    public static let metric = BenchmarkMetric.custom("CPU, process clock (μs)", useScalingFactor: false)
    /// Shows the metric's microseconds in full: the automatic unit rounds 22,600 to "22 K".
    public static var units: [BenchmarkMetric: BenchmarkUnits] { [metric: .count] }

    private let start: Int64

    /// Starts counting now.
    public init() {
        start = Self.nanoseconds()
    }

    /// Records the CPU time since `init` as one sample of `metric`.
    public func record(in benchmark: Benchmark) {
        benchmark.measurement(Self.metric, Int((Self.nanoseconds() - start) / 1_000))
    }

    private static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

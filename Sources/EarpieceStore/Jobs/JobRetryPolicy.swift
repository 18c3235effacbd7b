import Foundation

/// How often and how soon a failed job is tried again: `min(attempt⁴, cap)` seconds, scaled by a jitter factor
/// drawn uniformly from `[1 - jitter, 1 + jitter]`, up to `maxAttempts` attempts (`docs/jobs.md`).
public struct JobRetryPolicy: Sendable {
    /// Attempts after which a job that fails again is dead.
    public var maxAttempts: Int
    /// The longest delay before jitter.
    public var cap: TimeInterval
    /// The jitter's half-width as a fraction of the delay: 0.1 is ±10 %.
    public var jitter: Double
    /// A number in `[0, 1)`; 0.5 means no jitter. Tests inject a constant.
    public var unitRandom: @Sendable () -> Double

    public init(
        maxAttempts: Int = 8, cap: TimeInterval = 3_600, jitter: Double = 0.1,
        unitRandom: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = maxAttempts
        self.cap = cap
        self.jitter = jitter
        self.unitRandom = unitRandom
    }

    /// Eight attempts, an hour's cap, ±10 % jitter from the system's random numbers.
    public static let standard = JobRetryPolicy()

    /// The delay after failed attempt `attempt` (from 1) before jitter: `min(attempt⁴, cap)` seconds.
    public func baseDelay(afterAttempt attempt: Int) -> TimeInterval {
        let n = Double(max(attempt, 1))
        return min(n * n * n * n, cap)
    }

    /// The delay after failed attempt `attempt`, jitter included.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let unit = min(max(unitRandom(), 0), 1)
        return baseDelay(afterAttempt: attempt) * (1 - jitter + 2 * jitter * unit)
    }

    /// Whether a job that has used `attempts` attempts may have another.
    public func allowsAnotherAttempt(after attempts: Int) -> Bool { attempts < maxAttempts }
}

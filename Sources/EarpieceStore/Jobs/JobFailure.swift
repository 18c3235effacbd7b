/// Why an attempt at a job failed: a short machine code, and whether trying again can help.
///
/// The code is stored as the job's `last_error`, so it must never carry free text: it is 1 to 64 characters of
/// `a`–`z`, `0`–`9` and `_` (`transcript_missing`), and the store refuses anything else.
public struct JobFailure: Sendable, Equatable {
    public let code: String
    /// `false` for a failure retrying cannot fix: the job goes dead at once.
    public let isRetryable: Bool

    public init(code: String, isRetryable: Bool) {
        self.code = code
        self.isRetryable = isRetryable
    }

    /// A failure that may pass (a model or disk briefly unavailable): the job is retried after a backoff.
    public static func retryable(_ code: String) -> JobFailure { JobFailure(code: code, isRetryable: true) }

    /// A failure that would recur on every attempt (the call has no audio left): the job goes dead at once.
    public static func permanent(_ code: String) -> JobFailure { JobFailure(code: code, isRetryable: false) }

    /// Whether `code` is a machine code the store accepts.
    public static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty && code.utf8.count <= 64
            && code.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }
}

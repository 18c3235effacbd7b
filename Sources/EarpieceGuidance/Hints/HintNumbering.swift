/// Hands out a call's hint ids, "h-1", "h-2", …, so that every stage that hints draws from one sequence.
public struct HintNumbering: Sendable {
    private var next = 1

    public init() {}

    /// The next unused id.
    public mutating func take() -> String {
        defer { next += 1 }
        return "h-\(next)"
    }
}

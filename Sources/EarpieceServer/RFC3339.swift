import Foundation

/// Timestamps as the REST API writes and reads them: RFC 3339 in UTC with milliseconds
/// (`2025-03-01T09:30:00.125Z`); read with or without fractional seconds, with any offset.
enum RFC3339 {
    /// The timestamp in UTC with milliseconds.
    static func string(_ date: Date) -> String {
        date.formatted(withMilliseconds)
    }

    /// The date `text` names, or `nil` if it is not RFC 3339.
    static func date(_ text: String) -> Date? {
        // Bounded before parsing: a query value can be as long as the request line.
        guard text.utf8.count <= 40 else { return nil }
        if let date = try? withMilliseconds.parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    private static let withMilliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

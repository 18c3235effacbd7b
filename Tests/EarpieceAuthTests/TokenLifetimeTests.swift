import Testing

@testable import EarpieceAuth

@Suite("Token lifetimes as people type them")
struct TokenLifetimeTests {
    @Test(
        "a number and a unit give the lifetime",
        arguments: [
            ("90s", 90), ("15m", 900), ("1h", 3_600), ("2d", 172_800), (" 1h ", 3_600), ("366d", 366 * 86_400),
        ] as [(String, Int64)])
    func parses(text: String, seconds: Int64) throws {
        let lifetime = try TokenLifetime(parsing: text)
        #expect(lifetime.seconds == seconds)
        #expect(lifetime.duration == .seconds(seconds))
    }

    @Test(
        "anything else is refused with what to type instead",
        arguments: [
            ("", TokenLifetime.ParseError.empty),
            ("90", .missingUnit("90")),
            ("1w", .unknownUnit("1w")),
            ("1H", .unknownUnit("1H")),
            ("h", .notANumber("h")),
            ("-1h", .notANumber("-1h")),
            ("1.5h", .notANumber("1.5h")),
            ("1 h", .notANumber("1 h")),
            ("99999999999999999999s", .notANumber("99999999999999999999s")),
            ("0m", .zero),
            ("367d", .tooLong("367d")),
        ])
    func refuses(text: String, error: TokenLifetime.ParseError) {
        #expect(throws: error) { try TokenLifetime(parsing: text) }
        #expect(
            error.description.contains("s (seconds), m (minutes), h (hours) or d (days)") || error == .zero
                || error.description.contains("366d"))
    }

    @Test(
        "the description is the shortest way to write it",
        arguments: [
            ("90s", "90s"), ("120s", "2m"), ("60m", "1h"), ("48h", "2d"), ("3601s", "3601s"),
        ])
    func description(text: String, shortest: String) throws {
        #expect(try TokenLifetime(parsing: text).description == shortest)
    }
}

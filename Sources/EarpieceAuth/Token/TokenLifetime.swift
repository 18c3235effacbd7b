/// A token lifetime written the way people type it: a whole number and a unit, as in `90s`, `15m`, `1h`, `2d`.
public struct TokenLifetime: Sendable, Equatable, CustomStringConvertible {
    /// Why a lifetime could not be read; `description` says what to type instead.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case missingUnit(String)
        case unknownUnit(String)
        case notANumber(String)
        case zero
        case tooLong(String)

        public var description: String {
            let units = "s (seconds), m (minutes), h (hours) or d (days), as in 90s, 15m, 1h, 2d"
            switch self {
            case .empty: return "the lifetime is empty: give a number and a unit, \(units)"
            case .missingUnit(let text): return "\"\(text)\" has no unit: add \(units)"
            case .unknownUnit(let text): return "\"\(text)\" has an unknown unit: use \(units)"
            case .notANumber(let text): return "\"\(text)\" is not a whole number followed by a unit: use \(units)"
            case .zero: return "the lifetime must be longer than zero"
            case .tooLong(let text):
                return "\"\(text)\" is longer than the maximum of \(TokenLifetime.maximumDescription)"
            }
        }
    }

    /// The longest lifetime Earpiece mints: a token can't be revoked, only left to expire.
    public static let maximum: Duration = .seconds(maximumSeconds)
    static let maximumSeconds: Int64 = 366 * 86_400
    static let maximumDescription = "366d"

    public let seconds: Int64
    public var duration: Duration { .seconds(seconds) }

    public var description: String {
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingWhitespace()
        guard let unit = trimmed.last else { throw .empty }
        let multiplier: Int64
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3_600
        case "d": multiplier = 86_400
        case "0"..."9": throw .missingUnit(Self.quoted(trimmed))
        default: throw .unknownUnit(Self.quoted(trimmed))
        }
        let digits = trimmed.dropLast()
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let count = Int64(digits)
        else { throw .notANumber(Self.quoted(trimmed)) }
        guard count > 0 else { throw .zero }
        guard count <= Self.maximumSeconds / multiplier else { throw .tooLong(Self.quoted(trimmed)) }
        self.seconds = count * multiplier
    }

    /// Keeps what goes back into an error message short.
    private static func quoted(_ text: Substring) -> String {
        text.count > 32 ? String(text.prefix(32)) + "…" : String(text)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return Substring()
        }
        return self[start...end]
    }
}

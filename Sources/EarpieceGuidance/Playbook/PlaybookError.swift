/// Why a playbook was refused: where in the document, and what to change there.
public struct PlaybookError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The place in the document, such as `intents.pricing_objection.phrases[2].text`; `nil` for the whole document.
    public var path: String?
    /// What is wrong and what to do about it, such as `empty phrase`.
    public var reason: String

    public init(path: String?, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.map { "\($0): \(reason)" } ?? reason }

    /// The most of a key or word from the document that a reason quotes.
    static let quotedLength = 64

    static func quote(_ text: some StringProtocol) -> String { "\"\(text.prefix(quotedLength))\"" }

    /// `intents.pricing_objection.phrases[2].text` from a decoder's coding path.
    static func path(_ codingPath: [any CodingKey]) -> String? {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + key.stringValue.prefix(quotedLength)
            }
        }
        return out.isEmpty ? nil : out
    }

    /// The decoder's complaint in the playbook's terms.
    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self.init(path: Self.path(context.codingPath + [key]), reason: "is required")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            if context.codingPath.isEmpty {
                self.init(path: nil, reason: "the playbook must be a JSON object")
            } else {
                self.init(path: Self.path(context.codingPath), reason: "must be \(Self.kind(type))")
            }
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self.init(path: nil, reason: "the playbook is not valid JSON")
            } else {
                self.init(path: Self.path(context.codingPath), reason: "is not a valid value")
            }
        @unknown default:
            self.init(path: nil, reason: "the playbook is not valid JSON")
        }
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is [Any].Type: "an array"
        default: "a JSON object"
        }
    }
}

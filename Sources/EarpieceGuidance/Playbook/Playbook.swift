import Foundation

/// A tenant's playbook: for each intent, what the hint tells the rep and when it fires; the org's competitors;
/// and the rep's attention budget. `docs/playbook.md` is its format.
public struct Playbook: Sendable, Equatable, Codable {
    /// The format version this code reads and writes.
    public static let currentVersion = 1
    /// The largest document accepted, in bytes.
    public static let maxBytes = 64 * 1024
    /// The most competitors a playbook may name.
    public static let maxCompetitors = 50
    /// The longest competitor name, in characters.
    public static let maxCompetitorLength = 40
    /// The default playbook's file name in the models directory.
    public static let defaultFileName = "playbook.json"

    /// The format version; always `currentVersion`.
    public var version: Int
    /// The org's competitors as a hint names them ("Acme"); each is also a keyphrase of `competitor_mention`.
    public var competitors: [String]
    /// The play of each intent; an intent without one never fires.
    public var intents: [Intent: Play]
    /// At most so many hints in any window.
    public var budget: HintBudget

    public init(
        version: Int = Playbook.currentVersion, competitors: [String] = [], intents: [Intent: Play] = [:],
        budget: HintBudget = .standard
    ) {
        self.version = version
        self.competitors = competitors
        self.intents = intents
        self.budget = budget
    }

    /// The play of `intent` if it is present and enabled: what fires.
    public func activePlay(for intent: Intent) -> Play? {
        intents[intent].flatMap { $0.enabled ? $0 : nil }
    }

    // MARK: Reading and writing

    /// Parses and validates a document: the one way a playbook from outside the process is accepted.
    ///
    /// A pure function of `data` and `isKnownWord` (the recognizer's dictionary, which is lowercase).
    public static func parse(_ data: Data, isKnownWord: (Substring) -> Bool) throws(PlaybookError) -> Playbook {
        guard data.count <= maxBytes else {
            throw PlaybookError(
                path: nil, reason: "the playbook must be at most \(maxBytes / 1024) KiB of JSON, not \(data.count) bytes")
        }
        let playbook: Playbook
        do {
            playbook = try JSONDecoder().decode(Playbook.self, from: data)
        } catch let error as PlaybookError {
            throw error
        } catch let error as DecodingError {
            throw PlaybookError(error)
        } catch {
            throw PlaybookError(path: nil, reason: "the playbook is not valid JSON")
        }
        try playbook.validate(isKnownWord: isKnownWord)
        return playbook
    }

    /// The product's default playbook from `url` (`Models/playbook.json`), validated like any tenant's.
    public static func loadDefault(from url: URL, isKnownWord: (Substring) -> Bool) throws(PlaybookError) -> Playbook {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PlaybookError(path: nil, reason: "cannot read the default playbook \(url.path); check the models_dir setting")
        }
        do {
            return try parse(data, isKnownWord: isKnownWord)
        } catch {
            throw PlaybookError(path: error.path, reason: "\(error.reason) (in the default playbook \(url.path))")
        }
    }

    /// The canonical encoding: every field written out, keys sorted, no spaces. Documents that mean the same
    /// thing encode the same, so this is what is stored, hashed and compared.
    public func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every value is a string, a whole number, a finite number or a flag: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: PlaybookCodingKey.self)
        try container.refuseUnknownKeys(["version", "competitors", "intents", "budget"])
        guard let version = try container.wholeNumber("version") else {
            throw PlaybookError(path: "version", reason: "is required; this format is version \(Self.currentVersion)")
        }
        // Checked before the rest, which another version may lay out differently.
        guard version == Self.currentVersion else {
            throw PlaybookError(path: "version", reason: "version must be \(Self.currentVersion), not \(version)")
        }
        self.version = version
        competitors = try container.optional([String].self, "competitors") ?? []
        intents = [:]
        if container.contains(PlaybookCodingKey("intents")) {
            let plays = try container.nestedContainer(keyedBy: PlaybookCodingKey.self, forKey: PlaybookCodingKey("intents"))
            for key in plays.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                guard let intent = Intent(rawValue: key.stringValue) else {
                    throw PlaybookError(
                        path: PlaybookError.path(plays.codingPath + [key]),
                        reason: "unknown intent \(PlaybookError.quote(key.stringValue)); known: "
                            + Intent.allCases.map(\.rawValue).joined(separator: ", "))
                }
                intents[intent] = try plays.decode(Play.self, forKey: key)
            }
        }
        budget = try container.optional(HintBudget.self, "budget") ?? .standard
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: PlaybookCodingKey.self)
        try container.encode(version, forKey: PlaybookCodingKey("version"))
        try container.encode(competitors, forKey: PlaybookCodingKey("competitors"))
        var plays = container.nestedContainer(keyedBy: PlaybookCodingKey.self, forKey: PlaybookCodingKey("intents"))
        for (intent, play) in intents {
            try plays.encode(play, forKey: PlaybookCodingKey(intent.rawValue))
        }
        try container.encode(budget, forKey: PlaybookCodingKey("budget"))
    }
}

import EarpieceGuidance
import EarpieceStore
import Foundation

/// Where a call gets its tenant's playbook: the one the tenant stored, or the product's default.
public struct PlaybookCatalog: Sendable {
    /// The product's playbook (`Models/playbook.json`), for tenants that have none of their own.
    public let defaultPlaybook: Playbook
    public let store: any MetadataStore
    /// The recognizer's dictionary: whether it can hear a lowercase word.
    public let isKnownWord: @Sendable (Substring) -> Bool

    public init(defaultPlaybook: Playbook, store: any MetadataStore, isKnownWord: @escaping @Sendable (Substring) -> Bool) {
        self.defaultPlaybook = defaultPlaybook
        self.store = store
        self.isKnownWord = isKnownWord
    }

    /// A catalog whose default is `playbook.json` in `modelsDirectory`, validated against `isKnownWord`.
    public init(
        modelsDirectory: URL, store: any MetadataStore, isKnownWord: @escaping @Sendable (Substring) -> Bool
    ) throws(PlaybookError) {
        let url = modelsDirectory.appendingPathComponent(Playbook.defaultFileName)
        self.init(defaultPlaybook: try Playbook.loadDefault(from: url, isKnownWord: isKnownWord), store: store, isKnownWord: isKnownWord)
    }

    /// The playbook a call of the tenant runs with.
    ///
    /// A stored playbook is validated again, against today's dictionary; if it no longer passes (a word the
    /// recognizer dropped), this throws that `PlaybookError`, so the caller can log it and use `defaultPlaybook`.
    public func playbook(for scope: TenantScope) async throws -> Playbook {
        guard let json = try await store.playbook(scope)?.json else { return defaultPlaybook }
        return try Playbook.parse(Data(json.utf8), isKnownWord: isKnownWord)
    }

    /// The tenant's setting and the playbook it amounts to, for showing and auditing. A stored playbook is read
    /// without the dictionary check, so an admin can still see one that a dictionary change made invalid.
    func setting(for scope: TenantScope) async throws -> (record: PlaybookRecord?, playbook: Playbook) {
        let record = try await store.playbook(scope)
        return (record, try playbook(of: record))
    }

    /// The playbook a stored setting amounts to, read as `setting(for:)` reads it.
    func playbook(of record: PlaybookRecord?) throws(PlaybookError) -> Playbook {
        guard let json = record?.json else { return defaultPlaybook }
        return try Playbook.parse(Data(json.utf8), isKnownWord: { _ in true })
    }
}

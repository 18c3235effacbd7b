import Foundation
import GRDB

/// A tenant's playbook setting: its playbook's canonical JSON, or `nil` after it went back to the product's
/// default, and which revision that is. A tenant without a row has never set one and uses the default.
public struct PlaybookRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "playbooks"

    public let org: String
    public let env: String
    /// The playbook as stored (its canonical encoding); `nil` when the tenant uses the default.
    public var json: String?
    /// 1 for the first setting, then one more with each change, resets included; never reused.
    public var revision: Int
    public var updatedAt: Date
    /// The `sub` of the admin who made this revision.
    public var updatedBy: String

    enum CodingKeys: String, CodingKey {
        case org, env, json, revision
        case updatedAt = "updated_at"
        case updatedBy = "updated_by"
    }

    public init(scope: TenantScope, json: String?, revision: Int, updatedAt: Date, updatedBy: String) {
        self.org = scope.org
        self.env = scope.env.rawValue
        self.json = json
        self.revision = revision
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

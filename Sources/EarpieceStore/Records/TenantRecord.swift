import Foundation
import GRDB

/// A tenant's row: its retention policy. A tenant without a row has `RetentionPolicy.standard`.
struct TenantRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "tenants"

    let org: String
    let env: String
    var audioDays: Int
    var derivedDays: Int
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case org, env
        case audioDays = "audio_days"
        case derivedDays = "derived_days"
        case updatedAt = "updated_at"
    }
}

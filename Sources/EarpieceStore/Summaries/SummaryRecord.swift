import Foundation
import GRDB

/// Where a call's sealed summary is, and the data key that opens it (wrapped by the tenant's KEK).
public struct SummaryRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "summaries"

    public let org: String
    public let env: String
    public let callID: String
    /// The job that wrote it.
    public let jobID: String
    /// The sealed file, relative to the blob directory.
    public let path: String
    public let bytes: Int
    public let wrappedKey: Data
    public let kekVersion: Int
    public let createdAt: Date
    /// When retention deletes it: the call's end plus the tenant's derived-data days.
    public let deleteAfter: Date

    enum CodingKeys: String, CodingKey {
        case org, env, path, bytes
        case callID = "call_id"
        case jobID = "job_id"
        case wrappedKey = "wrapped_key"
        case kekVersion = "kek_version"
        case createdAt = "created_at"
        case deleteAfter = "delete_after"
    }

    public init(
        scope: TenantScope, callID: String, jobID: String, path: String, bytes: Int, wrappedKey: Data, kekVersion: Int,
        createdAt: Date, deleteAfter: Date
    ) {
        org = scope.org
        env = scope.env.rawValue
        self.callID = callID
        self.jobID = jobID
        self.path = path
        self.bytes = bytes
        self.wrappedKey = wrappedKey
        self.kekVersion = kekVersion
        self.createdAt = createdAt
        self.deleteAfter = deleteAfter
    }
}

import EarpieceAuth
import Foundation

@testable import EarpieceStore

/// A real SQLite database in a fresh temporary directory, removed when the last reference goes.
final class TemporaryStore {
    let directory: URL
    let store: SQLiteMetadataStore

    var path: String { directory.appendingPathComponent(SQLiteMetadataStore.relativePath).path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteMetadataStore(dataDirectory: directory)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// The tenants the tests keep apart: two orgs in prod, and the first org's dev environment.
enum Tenant {
    static let orgAProd = TenantScope.operatorScope(org: "org_a", env: .prod)
    static let orgBProd = TenantScope.operatorScope(org: "org_b", env: .prod)
    static let orgADev = TenantScope.operatorScope(org: "org_a", env: .dev)
}

/// A fixed instant on a whole second: the database keeps dates to the millisecond, so the tests' clocks do too.
let startOfYear = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

extension Date {
    func adding(days: Double) -> Date { addingTimeInterval(days * 86_400) }
    func adding(minutes: Double) -> Date { addingTimeInterval(minutes * 60) }
}

extension MetadataStore {
    /// Opens call `id` for the tenant, started at `startedAt`.
    @discardableResult
    func openCall(_ scope: TenantScope, id: String, startedAt: Date = startOfYear) async throws -> CallRecord {
        let call = CallRecord(
            scope: scope, id: id, repUserID: "rep-1", startedAt: startedAt,
            resumeTokenHash: Data(repeating: 7, count: 32))
        try await createCall(call)
        return call
    }

    /// Inserts an open part of call `callID` with a made-up 65-byte wrapped key under `kekVersion`.
    @discardableResult
    func openPart(
        _ scope: TenantScope, callID: String, part: Int = 0, id: String? = nil, kekVersion: Int = 1,
        createdAt: Date = startOfYear
    ) async throws -> RecordingRecord {
        let id = id ?? "rec_\(scope.org)_\(scope.env.rawValue)_\(callID)_\(part)"
        let recording = RecordingRecord(
            id: id, scope: scope, callID: callID, part: part, path: "\(scope.org)/\(callID)/\(id).epsb",
            wrappedKey: fakeWrappedKey(filler: UInt8(kekVersion)), kekVersion: kekVersion, createdAt: createdAt)
        try await insertRecording(recording)
        return recording
    }

    /// Finishes part `recordingID` with 50 packets (one second) at `now`.
    func finishPart(_ scope: TenantScope, _ recordingID: String, endingCall: Bool, now: Date) async throws {
        try await finishRecording(
            scope, recordingID: recordingID, bytes: 4_096, packets: 50, durationMs: 1_000, ackedSeq: 49,
            endingCall: endingCall, now: now)
    }

    /// A single-part call, ended at `endedAt`, and its part as stored: what most retention tests start from.
    @discardableResult
    func endedCall(_ scope: TenantScope, id: String, endedAt: Date) async throws -> RecordingRecord {
        try await openCall(scope, id: id, startedAt: endedAt.adding(minutes: -5))
        let part = try await openPart(scope, callID: id, createdAt: endedAt.adding(minutes: -5))
        try await finishPart(scope, part.id, endingCall: true, now: endedAt)
        guard let finished = try await onlyPart(scope, callID: id) else { throw StoreError.recordingNotFound(part.id) }
        return finished
    }

    /// The one part of a single-part call.
    func onlyPart(_ scope: TenantScope, callID: String) async throws -> RecordingRecord? {
        let parts = try await recordings(scope, callID: callID)
        return parts.count == 1 ? parts[0] : nil
    }
}

/// 65 bytes shaped like a wrapped data key: the store keeps them without opening them.
func fakeWrappedKey(filler: UInt8) -> Data { Data([1, 0, 0, 0, filler] + [UInt8](repeating: filler, count: 60)) }

import EarpieceStore
import Foundation

/// A background job as the API shows it: ids, state and timing; never the lease token.
struct JobBody: Encodable {
    var id: String
    var callID: String
    var kind: String
    var state: String
    var attempts: Int
    var runAfter: String
    var lastError: String?
    var createdAt: String
    var finishedAt: String?

    init(_ job: JobRecord) {
        id = job.id
        callID = job.callID
        kind = job.kind.rawValue
        state = job.state.rawValue
        attempts = job.attempts
        runAfter = RFC3339.string(job.runAfter)
        lastError = job.lastError
        createdAt = RFC3339.string(job.createdAt)
        finishedAt = job.finishedAt.map(RFC3339.string)
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, state, attempts
        case callID = "call_id"
        case runAfter = "run_after"
        case lastError = "last_error"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }
}

/// `GET /v1/admin/jobs`.
struct JobListBody: Encodable {
    var jobs: [JobBody]
}

/// `GET /v1/calls/{id}/summary` while the summary is not ready: the job that makes it.
struct PendingSummaryBody: Encodable {
    var callID: String
    var job: JobBody

    enum CodingKeys: String, CodingKey {
        case job
        case callID = "call_id"
    }
}

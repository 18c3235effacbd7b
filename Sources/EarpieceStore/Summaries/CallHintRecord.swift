import Foundation
import GRDB

/// A hint a call showed the rep, and the rep's feedback on it. Kinds, times and ids only: the trigger words and
/// the hint's text are not stored here.
public struct CallHintRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "call_hints"

    public let org: String
    public let env: String
    public let callID: String
    /// The hint's id as the stream numbered it (`h-1`, …); unique within its session.
    public let hintID: String
    /// The stream session that showed it: a resumed call numbers its hints again.
    public let sessionID: String
    /// The hint kind's wire name (`pricing_objection`, `talk_ratio`, …).
    public let kind: String
    /// `rep`, `customer` or `unknown`.
    public let speaker: String
    public let audioTimeMs: Int
    public let confidence: Double
    /// `used`, `dismissed`, or `nil` when the rep gave none.
    public var feedback: String?

    enum CodingKeys: String, CodingKey {
        case org, env, kind, speaker, confidence, feedback
        case callID = "call_id"
        case hintID = "hint_id"
        case sessionID = "session_id"
        case audioTimeMs = "audio_time_ms"
    }

    public init(
        scope: TenantScope, callID: String, hintID: String, sessionID: String, kind: String, speaker: String,
        audioTimeMs: Int, confidence: Double, feedback: String?
    ) {
        org = scope.org
        env = scope.env.rawValue
        self.callID = callID
        self.hintID = hintID
        self.sessionID = sessionID
        self.kind = kind
        self.speaker = speaker
        self.audioTimeMs = audioTimeMs
        self.confidence = confidence
        self.feedback = feedback
    }
}

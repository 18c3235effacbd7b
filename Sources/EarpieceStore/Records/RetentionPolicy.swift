/// How long a tenant keeps its data: raw audio, and derived data (transcripts, summaries), in days.
public struct RetentionPolicy: Sendable, Equatable, Codable {
    /// The bounds on either number of days.
    public static let allowedDays = 1...3650
    /// What a tenant that never set a policy gets.
    public static let standard = RetentionPolicy(uncheckedAudioDays: 30, derivedDays: 365)

    /// Days a recording is kept after its call ends.
    public let audioDays: Int
    /// Days transcripts and summaries are kept after their call ends.
    public let derivedDays: Int

    /// A policy with both values inside `allowedDays`.
    public init(audioDays: Int, derivedDays: Int) throws(StoreError) {
        for (name, value) in [("audio_days", audioDays), ("derived_days", derivedDays)]
        where !Self.allowedDays.contains(value) {
            throw .invalidValue("\(name) must be \(Self.allowedDays.lowerBound)…\(Self.allowedDays.upperBound), not \(value)")
        }
        self.audioDays = audioDays
        self.derivedDays = derivedDays
    }

    private init(uncheckedAudioDays: Int, derivedDays: Int) {
        self.audioDays = uncheckedAudioDays
        self.derivedDays = derivedDays
    }

    enum CodingKeys: String, CodingKey {
        case audioDays = "audio_days"
        case derivedDays = "derived_days"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            audioDays: container.decode(Int.self, forKey: .audioDays),
            derivedDays: container.decode(Int.self, forKey: .derivedDays))
    }
}

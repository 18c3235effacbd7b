import EarpieceGuidance
import Foundation

/// What guidance loads once per process, from the checkout's `Models/` and Debian's PocketSphinx model: the
/// dictionary, the intent model and the default playbook.
public struct GuidanceAssets: Sendable {
    public let recognizer: RecognizerConfiguration
    public let dictionary: PronunciationDictionary
    public let intentModel: IntentModel
    public let playbook: Playbook

    /// Loads every asset or stops the process with the reason: a benchmark without its models measures nothing.
    public init(recognizer: RecognizerConfiguration = RecognizerConfiguration()) {
        let models = FixtureCall.repositoryRoot.appendingPathComponent("Models")
        do {
            let dictionary = try PronunciationDictionary(configuration: recognizer)
            self.recognizer = recognizer
            self.dictionary = dictionary
            intentModel = try IntentModel(contentsOf: models.appendingPathComponent("intent-model.bin"))
            playbook = try Playbook.loadDefault(from: models.appendingPathComponent(Playbook.defaultFileName)) {
                dictionary.contains(String($0))
            }
        } catch {
            fatalError("guidance assets do not load: \(error) (run `make deps`, and `make model` for the intent model)")
        }
    }

    /// Decoder pools share nothing, so each measurement makes its own with room for `calls` stereo calls per kind.
    public func resources(calls: Int) -> SpeechResources {
        let pool = RecognizerPool(configuration: recognizer, transcriptCapacity: 2 * calls, keyphraseCapacity: 2 * calls)
        return SpeechResources(pool: pool, intentModel: intentModel)
    }

    /// A call's speech analysis in exactly `tier`; stops the process if the pool cannot give it.
    public func lease(_ tier: GuidanceTier, channelCount: Int, from resources: SpeechResources) -> SpeechLease {
        guard tier != .dynamics else { return .dynamics(playbook: playbook) }
        var problems: [RecognizerError] = []
        let lease = resources.lease(channelCount: channelCount, playbook: playbook, richest: tier, problems: &problems)
        guard lease.tier == tier else { fatalError("no \(tier.rawValue) lease: \(problems)") }
        return lease
    }
}

import ArgumentParser
import EarpieceGuidance

/// `--noise-suppression`: a level of WebRTC's noise suppressor for what the recognizer hears, or off.
struct NoiseSuppressionChoice: ExpressibleByArgument, Sendable {
    let level: NoiseSuppressionLevel?

    /// The recognizer's default.
    static let standard = NoiseSuppressionChoice(level: RecognizerConfiguration.defaultNoiseSuppression)

    init(level: NoiseSuppressionLevel?) {
        self.level = level
    }

    init?(argument: String) {
        if argument == "off" {
            level = nil
        } else if let level = NoiseSuppressionLevel(rawValue: argument) {
            self.level = level
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { level?.rawValue ?? "off" }

    static var allValueStrings: [String] { ["off"] + NoiseSuppressionLevel.allCases.map(\.rawValue) }
}

/// The unit of time every guidance stage counts in: one 20 ms frame of 16 kHz audio.
public enum AnalysisFrame {
    /// The sample rate guidance analyses.
    public static let sampleRate = 16_000
    /// Samples per channel in one frame.
    public static let sampleCount = 320
    /// Milliseconds in one frame.
    public static let durationMs = 20

    /// Frames needed to last at least `duration` (rounded up, so a threshold is never crossed early).
    public static func count(covering duration: Duration) -> Int {
        let ms = milliseconds(duration)
        return max(0, (ms + durationMs - 1) / durationMs)
    }

    /// `duration` in whole milliseconds.
    public static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

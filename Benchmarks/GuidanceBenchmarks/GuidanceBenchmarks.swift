import Benchmark
import EarpieceAudio
import EarpieceGuidance
import GuidanceFixtures

/// What the guidance benchmarks read, loaded once per process (in each benchmark's setup, so never measured).
enum GuidanceInput {
    /// The stretch of the pricing call every tier is measured over: 30 s, 9 turns, both speakers.
    static let stretchSeconds = 30.0
    static let call = FixtureCall(named: "pricing-call.opus")
    static let stereo = call.stereo(seconds: stretchSeconds)
    static let mono = call.mono(seconds: stretchSeconds)
    static let assets = GuidanceAssets()
    /// One pool for the whole run, room for one stereo call per kind: decoders load in the warm-up iteration
    /// and are reused after, as the gateway's pool reuses them from call to call.
    static let resources = assets.resources(calls: 1)

    static func load() {
        blackHole(stereo.frameCount + mono.frameCount)
        blackHole(resources.richestTier)
    }
}

/// Partial hypotheses of one utterance as the recognizer revises them (the last words change, then settle), and
/// its final: what `TranscriptIntents` feeds the speaker's `IntentWindow` by difference.
enum PartialHypotheses {
    static let updates: [[String]] = {
        let final = "wow that's too pricey for us the price is way above our budget so we might not renew this year".split(separator: " ").map(String.init)
        var updates: [[String]] = []
        for count in 1...final.count {
            var partial = Array(final[..<count])
            // A word first heard wrong ("price" as "prize"), then corrected by the next partial.
            if count % 3 == 0 { partial[count - 1] = "prize" }
            updates.append(partial)
        }
        return updates
    }()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.cpuTotal, .wallClock, .mallocCountTotal],
        scalingFactor: .one,
        maxDuration: .seconds(20),
        maxIterations: 20
    )
    registerVoiceActivityBenchmarks()

    // One iteration: admit a call to the tier (lease its decoders from the pool), run the guidance loop over the
    // first 30 s of the pricing call, end its utterances, return the decoders. CPU ÷ 30 s ÷ speakers is the
    // figure docs/performance.md reports per tier and speaker.
    for tier in GuidanceTier.allCases {
        for (layout, pcm) in [("stereo", GuidanceInput.stereo), ("mono mix", GuidanceInput.mono)] {
            let configuration = Benchmark.Configuration(
                metrics: [.cpuTotal, .cpuUser, .wallClock, .mallocCountTotal],
                maxDuration: .seconds(tier == .transcript ? 60 : 20),
                maxIterations: tier == .transcript ? 6 : 20,
                setup: { GuidanceInput.load() })
            Benchmark("Guidance: \(tier.rawValue) tier, \(layout), 30 s of pricing-call", configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations {
                    let lease = GuidanceInput.assets.lease(tier, channelCount: pcm.channels.count, from: GuidanceInput.resources)
                    var loop = try GuidanceLoop(channelCount: pcm.channels.count, speech: lease)
                    var events: [GuidanceEvent] = []
                    loop.process(pcm, into: &events)
                    loop.finish(into: &events)
                    blackHole(events.count)
                }
            }
        }
    }

    // One iteration: a word appended to a speaker's window and the nine probabilities read, as after each new
    // stable word; the utterance runs to 24 words (past the 16-word window, so it slides) and is reset.
    Benchmark(
        "Intent: IntentWindow append a word + probabilities",
        configuration: .init(metrics: [.cpuTotal, .wallClock, .mallocCountTotal, .throughput], scalingFactor: .kilo,
                             maxDuration: .seconds(5), maxIterations: 10_000, setup: { GuidanceInput.load() })
    ) { benchmark in
        let words = PartialHypotheses.updates.last ?? []
        var window = IntentWindow(model: GuidanceInput.assets.intentModel)
        var probabilities = [Float](repeating: 0, count: IntentModel.classCount)
        var next = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            if window.utteranceWordCount == 24 { window.reset() }
            window.append(words[next])
            next = next + 1 == words.count ? 0 : next + 1
            window.probabilities(into: &probabilities)
            blackHole(probabilities[0])
        }
    }

    // One iteration: one transcript update followed by difference through public API, as `TranscriptIntents`
    // does (pop the words that changed, push the new ones), then the probabilities; a final resets the window.
    Benchmark(
        "Intent: follow a partial hypothesis by difference + probabilities",
        configuration: .init(metrics: [.cpuTotal, .wallClock, .mallocCountTotal, .throughput], scalingFactor: .kilo,
                             maxDuration: .seconds(5), maxIterations: 10_000, setup: { GuidanceInput.load() })
    ) { benchmark in
        let updates = PartialHypotheses.updates
        var window = IntentWindow(model: GuidanceInput.assets.intentModel)
        var probabilities = [Float](repeating: 0, count: IntentModel.classCount)
        var given: [String] = []
        given.reserveCapacity(64)
        var update = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let latest = updates[update]
            var kept = 0
            while kept < given.count, kept < latest.count, given[kept] == latest[kept] { kept += 1 }
            for _ in kept..<given.count { window.removeLast() }
            given.removeSubrange(kept...)
            for word in latest[kept...] {
                window.append(word)
                given.append(word)
            }
            window.probabilities(into: &probabilities)
            blackHole(probabilities[0])
            update += 1
            if update == updates.count {
                // The final: the utterance ends.
                update = 0
                window.reset()
                given.removeAll(keepingCapacity: true)
            }
        }
    }
}

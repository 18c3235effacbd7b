import EarpieceAudio
import EarpieceGuidance
import Foundation
import GuidanceFixtures

#if canImport(Glibc)
import Glibc
#endif

// Resident memory per call and per tier, and the VAD's gating, for docs/performance.md. Not an ordo-one
// benchmark: a pool keeps its decoders, so memory per call is a difference of VmRSS within one process that
// holds N calls at once, and one process per tier keeps the tiers apart.
//
//   GuidanceFootprint memory TIER [CALLS…] [--seconds S] [--mono]   (defaults: 1 2 4, 30 s, stereo)
//   GuidanceFootprint gating [--seconds S]                           (frames each speaker's decoder is fed)

/// Reads a field of /proc/self/status in kB.
func status(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
    return 0
}

func residentMB() -> Double { Double(status("VmRSS")) / 1024 }

func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func line(_ label: String, _ values: String) { print(label.padding(toLength: 44, withPad: " ", startingAt: 0) + values) }
func mb(_ value: Double) -> String { String(format: "%7.1f MB", value) }

/// A call being held: its loop owns the lease, so its decoders stay out of the pool until the box goes.
final class HeldCall {
    var loop: GuidanceLoop
    init(loop: consuming GuidanceLoop) { self.loop = loop }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var seconds = 30.0
if let index = arguments.firstIndex(of: "--seconds"), index + 1 < arguments.count, let value = Double(arguments[index + 1]) {
    seconds = value
    arguments.removeSubrange(index...(index + 1))
}
let mono = arguments.contains("--mono")
arguments.removeAll { $0 == "--mono" }

let startRSS = residentMB()
let call = FixtureCall(named: "pricing-call.opus")
let pcm = mono ? call.mono(seconds: seconds) : call.stereo(seconds: seconds)
let audioSeconds = Double(pcm.frameCount) / Double(pcm.sampleRate)
let afterPCM = residentMB()

switch arguments.first {
case "memory":
    guard arguments.count >= 2, let tier = GuidanceTier(rawValue: arguments[1]) else {
        print("usage: GuidanceFootprint memory transcript|keyphrase|dynamics [CALLS…] [--seconds S] [--mono]")
        exit(2)
    }
    let counts = arguments.dropFirst(2).compactMap { Int($0) }
    let plan = counts.isEmpty ? [1, 2, 4] : counts
    let assets = GuidanceAssets()
    let afterAssets = residentMB()
    let resources = assets.resources(calls: plan.max() ?? 1)
    print("tier \(tier.rawValue), \(mono ? "mono mix" : "stereo") calls, \(String(format: "%.1f", audioSeconds)) s of pricing-call each")
    line("process at start", mb(startRSS))
    line("+ fixture PCM (the measurement's own)", mb(afterPCM - startRSS))
    line("+ dictionary, intent model, playbook", mb(afterAssets - afterPCM))
    var previous = (calls: 0, rss: afterAssets)
    for calls in plan {
        // Hold `calls` calls at once, each fed the stretch, as concurrent calls hold their decoders.
        var held: [HeldCall] = []
        let cpuBefore = processCPUSeconds()
        for _ in 0..<calls {
            let lease = assets.lease(tier, channelCount: pcm.channels.count, from: resources)
            let box = HeldCall(loop: try GuidanceLoop(channelCount: pcm.channels.count, speech: lease))
            var events: [GuidanceEvent] = []
            box.loop.process(pcm, into: &events)
            box.loop.finish(into: &events)
            held.append(box)
        }
        let cpu = processCPUSeconds() - cpuBefore
        let rss = residentMB()
        let added = Double(calls - previous.calls)
        line("\(calls) call(s) held, after running",
             "\(mb(rss - afterAssets)) over the assets; per added call \(mb((rss - previous.rss) / added)); "
             + "CPU \(String(format: "%.4f", cpu / Double(calls) / audioSeconds / Double(pcm.channels.count))) s per s per speaker")
        previous = (calls, rss)
        held.removeAll()
    }
    line("peak (VmHWM)", mb(Double(status("VmHWM")) / 1024))
case "gating":
    // Each speaker on its own: the guidance loop's VAD and a recognizer fed exactly as the loop feeds it.
    let assets = GuidanceAssets()
    let pool = RecognizerPool(configuration: assets.recognizer, transcriptCapacity: 1, keyphraseCapacity: 1)
    let phrases = KeyphraseList(assets.playbook.spottedPhrases.map { KeyphraseTarget(text: $0.keyphrase.text, threshold: $0.keyphrase.threshold) })
    let frameLength = AnalysisFrame.sampleCount
    let frames = pcm.frameCount / frameLength
    print("\(String(format: "%.1f", audioSeconds)) s, \(frames) frames of 20 ms per speaker")
    for mode in [RecognizerMode.transcript, .keyphrase(phrases)] {
        for channel in pcm.channels.indices {
            guard var recognizer = try pool.acquire(mode) else { fatalError("pool refused \(mode.kind)") }
            var vad = try VoiceActivityDetector()
            var events: [RecognitionEvent] = []
            var speechFrames = 0
            let cpuBefore = processCPUSeconds()
            let samples = pcm.channels[channel]
            for index in 0..<frames {
                let frame = samples[(index * frameLength)..<((index + 1) * frameLength)]
                let isSpeech = vad.isSpeech(frame)
                if isSpeech { speechFrames += 1 }
                recognizer.process(frame, isSpeech: isSpeech, frameIndex: index, into: &events)
            }
            recognizer.finish(into: &events)
            let cpu = processCPUSeconds() - cpuBefore
            let fed = recognizer.framesFed
            recognizer.close()
            let speaker = mono ? "mono mix" : (channel == 0 ? "rep" : "customer")
            line("\(mode.kind.rawValue), \(speaker)",
                 String(format: "VAD speech %4.1f s (%2.0f%%), fed %5.1f s (%2.0f%%), CPU %.3f s per s of call, %.3f per s fed, %d events",
                        Double(speechFrames) / 50, 100 * Double(speechFrames) / Double(frames),
                        Double(fed) / 50, 100 * Double(fed) / Double(frames),
                        cpu / audioSeconds, cpu / (Double(fed) / 50), events.count))
        }
    }
default:
    print("usage: GuidanceFootprint memory TIER [CALLS…] [--seconds S] [--mono] | gating [--seconds S] [--mono]")
    exit(2)
}

import Benchmark
import CWebRTCVAD
import EarpieceGuidance
import ProcessCPUClock

/// Our `VoiceActivityDetector` against WebRTC's C API called directly, over the same 20 ms frames: both channels
/// of the whole pricing call, a frame of the rep then the same frame of the customer, as `GuidanceLoop` feeds
/// its two detectors. One iteration creates the two detectors and classifies every frame.
func registerVoiceActivityBenchmarks() {
    let configuration = Benchmark.Configuration(
        metrics: [.cpuTotal, ProcessCPUClock.metric, .wallClock, .mallocCountTotal],
        units: ProcessCPUClock.units,
        maxDuration: .seconds(5),
        maxIterations: 200,
        setup: { blackHole(GuidanceInput.call.pcm.frameCount) })
    let frameLength = VoiceActivityDetector.frameLength

    // Through the wrapper exactly as the loop calls it: an array slice per frame, smoothing included.
    Benchmark("VAD: VoiceActivityDetector, both channels of pricing-call, 20 ms frames", configuration: configuration) {
        benchmark in
        let channels = GuidanceInput.call.pcm.channels
        let frames = channels[0].count / frameLength
        for _ in benchmark.scaledIterations {
            let cpu = ProcessCPUClock()
            var rep = try VoiceActivityDetector()
            var customer = try VoiceActivityDetector()
            var speechFrames = 0
            for frame in 0..<frames {
                let samples = (frame * frameLength)..<((frame + 1) * frameLength)
                if rep.isSpeech(channels[0][samples]) { speechFrames += 1 }
                if customer.isSpeech(channels[1][samples]) { speechFrames += 1 }
            }
            blackHole(speechFrames)
            cpu.record(in: benchmark)
        }
    }

    // The baseline: the C calls alone on pointers into the same samples, raw decisions, no smoothing or checks.
    Benchmark("VAD: bare WebRtcVad_Process loop, same frames", configuration: configuration) { benchmark in
        let channels = GuidanceInput.call.pcm.channels
        let frames = channels[0].count / frameLength
        for _ in benchmark.scaledIterations {
            let cpu = ProcessCPUClock()
            guard let rep = bareDetector(), let customer = bareDetector() else {
                benchmark.error("WebRTC's VAD could not be created")
                return
            }
            defer {
                WebRtcVad_Free(rep)
                WebRtcVad_Free(customer)
            }
            var speechFrames = 0
            channels[0].withUnsafeBufferPointer { repSamples in
                channels[1].withUnsafeBufferPointer { customerSamples in
                    guard let repBase = repSamples.baseAddress, let customerBase = customerSamples.baseAddress else { return }
                    for frame in 0..<frames {
                        let start = frame * frameLength
                        if WebRtcVad_Process(rep, 16_000, repBase + start, frameLength) == 1 { speechFrames += 1 }
                        if WebRtcVad_Process(customer, 16_000, customerBase + start, frameLength) == 1 { speechFrames += 1 }
                    }
                }
            }
            blackHole(speechFrames)
            cpu.record(in: benchmark)
        }
    }
}

/// A WebRTC VAD instance in our detector's default mode; `nil` if WebRTC refuses. The caller frees it.
private func bareDetector() -> OpaquePointer? {
    let mode = Int32(VoiceActivityDetector.Configuration().mode)
    guard let instance = WebRtcVad_Create() else { return nil }
    guard WebRtcVad_Init(instance) == 0, WebRtcVad_set_mode(instance, mode) == 0 else {
        WebRtcVad_Free(instance)
        return nil
    }
    return instance
}

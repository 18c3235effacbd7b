import EarpieceAudio
import Foundation
import Testing

/// A fixture call's timeline (`Fixtures/calls/*.json`): who speaks when, and the windows the generator derived.
struct CallTimeline: Decodable, Sendable {
    struct Utterance: Decodable, Sendable {
        var speaker: String
        var start_s: Double
        var end_s: Double
    }
    struct Window: Decodable, Sendable {
        var kind: String
        var speaker: String?
        var start_s: Double
        var end_s: Double
    }
    var channels: Int
    var duration_s: Double
    var utterances: [Utterance]
    var windows: [Window]

    func window(_ kind: String) throws -> Window {
        try #require(windows.first { $0.kind == kind }, "no \(kind) window in the timeline")
    }
}

/// A fixture call decoded once per test run: the decoded audio and its timeline.
struct FixtureCall: Sendable {
    let name: String
    let pcm: PCMBuffer
    let timeline: CallTimeline

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("calls")

    // Decoding a 105 s call takes seconds in a debug build: each call is decoded once, whichever test asks first.
    static let pricing = Result { try FixtureCall(name: "pricing-call") }
    static let monologue = Result { try FixtureCall(name: "monologue-call") }
    static let mono = Result { try FixtureCall(name: "mono-call") }

    static func named(_ name: String) throws -> FixtureCall {
        switch name {
        case "pricing-call": try pricing.get()
        case "monologue-call": try monologue.get()
        default: try mono.get()
        }
    }

    /// The call `name`; with `audio` ("-noise20"), that variant's audio under the same timeline.
    init(name: String, audio: String = "") throws {
        self.name = name
        let bytes = Array(try Data(contentsOf: Self.root.appendingPathComponent("\(name)\(audio).opus")))
        timeline = try JSONDecoder().decode(CallTimeline.self, from: Data(contentsOf: Self.root.appendingPathComponent("\(name).json")))
        var demuxer = SniffingDemuxer()
        var packets: [OpusStreamPacket] = []
        for start in stride(from: 0, to: bytes.count, by: 4096) {
            packets += try demuxer.push(Array(bytes[start..<min(bytes.count, start + 4096)]))
        }
        try demuxer.finish()
        let head = try #require(demuxer.head)
        var decoder = try OpusDecoder(channelCount: head.channelCount, preSkip: head.preSkip)
        var pcm = PCMBuffer(channelCount: head.channelCount)
        for packet in packets { try decoder.decode(packet.data, sequence: packet.sequence, into: &pcm) }
        self.pcm = pcm
    }

    /// The speaker heard on `channel`: the rep and the customer in stereo; in mono, anyone.
    func speaks(on channel: Int, _ utterance: CallTimeline.Utterance) -> Bool {
        timeline.channels == 1 || (channel == 0) == (utterance.speaker == "rep")
    }
}

import CoreMetrics
import EarpieceAudio
import EarpieceGuidance
import Logging
import Synchronization

/// One live call: audio and control messages in, hints and dynamics out. No HTTP: the server feeds it from a
/// WebSocket, `earpiece replay` from a file, and both get the same messages.
///
/// Three stages run concurrently so that none waits on another: the intake reads the client (parse and
/// de-duplicate only), the guidance worker decodes and analyses from a bounded queue, and the writer sends
/// messages from a bounded outbox. A watchdog closes the stream when the client goes idle.
public final class CallSession: Sendable {
    public let callID: String
    public let sessionID: String
    public let requestedChannels: Int
    public let container: AudioContainerChoice
    public let configuration: CallSessionConfiguration
    private let metrics: CallMetrics
    private let logger: Logger
    private let lastActivity: Mutex<ContinuousClock.Instant>
    private let stopRequest = Mutex<(end: CallEnd?, waiter: CheckedContinuation<CallEnd?, Never>?)>((nil, nil))
    private let format = Mutex<OpusHead?>(nil)
    private let recorder: CallRecorder?
    private let resume: Resume?
    /// The tier the call was admitted to, as `ready` says.
    public let tier: GuidanceTier
    /// The call's speech analysis until the guidance stage takes it; dropped with the session otherwise, which
    /// returns its decoders to the pool.
    private let speech: Mutex<SpeechLease?>
    /// What this session showed the rep, for the call's summary.
    private let shownHints = ShownHints()

    /// What a client needs to resume the call, and where a resumed one picks up.
    public struct Resume: Sendable {
        /// The token the client presents with `call_id` to resume; sent in `ready`.
        public var token: String
        /// On a resumed call, the last raw-frame sequence number already stored.
        public var resumedAfter: UInt64?
        /// On a resumed call, the audio its earlier parts hold: times in this session's messages count on from
        /// there, so they stay positions in the call's audio.
        public var audioOffsetMs: Int

        public init(token: String, resumedAfter: UInt64?, audioOffsetMs: Int = 0) {
            self.token = token
            self.resumedAfter = resumedAfter
            self.audioOffsetMs = max(0, audioOffsetMs)
        }
    }

    /// - Parameters:
    ///   - recorder: records every accepted packet and produces the `ack`s; `nil` records nothing (replay).
    ///   - resume: the call's resume token and, on a resumed call, where it picks up.
    ///   - speech: the tier the call was admitted to and its recognizers (`SpeechResources.lease`).
    public init(
        callID: String, sessionID: String, channels: Int, container: AudioContainerChoice,
        configuration: CallSessionConfiguration, metrics: CallMetrics = CallMetrics(), recorder: CallRecorder? = nil,
        resume: Resume? = nil, speech: consuming SpeechLease = .dynamics(), logger: Logger
    ) {
        tier = speech.tier
        self.speech = Mutex(Optional(speech))
        self.recorder = recorder
        self.resume = resume
        self.callID = callID
        self.sessionID = sessionID
        self.requestedChannels = channels
        self.container = container
        self.configuration = configuration
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "call_id"] = .string(callID)
        logger[metadataKey: "session_id"] = .string(sessionID)
        self.logger = logger
        self.lastActivity = Mutex(.now)
    }

    /// The `ready` message that opens the stream.
    public var ready: ServerMessage {
        .ready(.init(
            callId: callID, sessionId: sessionID, channels: requestedChannels, container: container.rawValue,
            tier: tier.rawValue,
            limits: .init(
                maxMessageBytes: configuration.maxMessageBytes, maxPacketBytes: configuration.limits.maxPacketBytes,
                idleTimeoutMs: Int(configuration.idleTimeout.components.seconds * 1000)),
            recording: recorder != nil, resumeToken: resume?.token, resumedAfter: resume?.resumedAfter))
    }

    /// Ends the stream from outside (server shutdown, an expired token); `run` returns with this end.
    public func stop(_ end: CallEnd) {
        let waiter = stopRequest.withLock { state -> CheckedContinuation<CallEnd?, Never>? in
            guard state.end == nil else { return nil }
            state.end = end
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: end)
    }

    /// Runs the call until the client closes it, sends something it must refuse, goes idle, or `stop` is
    /// called. Every message, `ready` first, goes to `send`; the last is `closed` or an `error`. Returns how
    /// the stream ended, for the caller to close the socket with.
    public func run<Input: AsyncSequence & Sendable>(
        input: Input, send: @escaping @Sendable (ServerMessage) async -> Void
    ) async -> CallEnd where Input.Element == CallInput {
        let lossless = configuration.pacing == .lossless
        let outbox = Outbox(capacity: configuration.outboxCapacity, waitsWhenFull: lossless)
        let queue = GuidanceQueue(capacityMilliseconds: configuration.guidanceQueueMilliseconds)
        logger.info("stream opened", metadata: ["container": .string(container.rawValue)])
        await outbox.push(ready)

        let writer = Task {
            while let message = await outbox.next() { await send(message) }
        }
        let summary = IntakeTally()
        // The intake is not a child of the group: it may sit in the socket's iterator, which only the socket
        // closing ends. It reports its end through `stop`, and is cancelled when the call is over.
        let intakeTask = Task {
            if case .ended(let end) = await self.intake(input: input, queue: queue, outbox: outbox, summary: summary) {
                self.stop(end)
            }
        }
        let end = await withTaskGroup(of: StageResult.self) { group in
            group.addTask { await self.guidance(queue: queue, outbox: outbox) }
            group.addTask { await self.watchdog() }
            group.addTask { await self.waitForStop() }
            if let recorder = self.recorder {
                group.addTask { await self.flushRecording(recorder, outbox: outbox) }
            }
            var end: CallEnd?
            for await result in group {
                switch result {
                case .ended(let stageEnd):
                    guard end == nil else { continue }
                    end = stageEnd
                    self.stop(stageEnd)
                    queue.finish()
                    // A normal end lets guidance drain what was received; any other stops at once.
                    if stageEnd.code != .normal { group.cancelAll() }
                case .drained(let audioTimeMs):
                    if end?.code == .normal, let recorder = self.recorder {
                        // The last segment and, for a closed call, its end are durable before `closed` says so.
                        if let failure = await self.finishRecording(recorder, endsCall: end?.endsCall ?? false, outbox: outbox) {
                            end = failure
                            group.cancelAll()
                            continue
                        }
                    }
                    if end?.code == .normal {
                        let totals = summary.totals.withLock { $0 }
                        var jobID: String?
                        if end?.endsCall == true, let recorder = self.recorder { jobID = await recorder.summaryJobID() }
                        await outbox.push(.closed(.init(
                            callId: callID, audioTimeMs: audioTimeMs, packets: totals.packets, lostPackets: totals.lost,
                            summaryJobId: jobID)))
                    }
                    group.cancelAll()
                case .cancelled:
                    continue
                }
            }
            return end ?? CallEnd(.internalError, "the call ended without a reason")
        }
        intakeTask.cancel()
        if end.code != .normal, let recorder {
            // A stream that ended badly still keeps every packet it accepted; the call stays open for a resume.
            if let failure = await finishRecording(recorder, endsCall: false, outbox: outbox) {
                logger.error("recording not finished", metadata: ["reason": .string(failure.reason)])
            }
        }
        if end.code != .normal {
            await outbox.push(.error(.init(code: end.code.errorCode, message: end.reason, retryAfterMs: nil)))
        }
        outbox.close()
        // A client that stopped reading may never take the last messages: give it a moment, no more.
        await Self.wait(for: writer, atMost: .seconds(5))
        metrics.droppedMessages.increment(by: outbox.droppedCount)
        logger.info("stream closed", metadata: ["close_code": .stringConvertible(end.code.rawValue)])
        return end
    }

    private static func wait(for task: Task<Void, Never>, atMost limit: Duration) async {
        let resumed = Mutex(false)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeOnce: @Sendable () -> Void = {
                if resumed.withLock({ let first = !$0; $0 = true; return first }) { continuation.resume() }
            }
            Task { await task.value; resumeOnce() }
            Task { try? await Task.sleep(for: limit); task.cancel(); resumeOnce() }
        }
    }

    private enum StageResult: Sendable {
        case ended(CallEnd)
        case drained(audioTimeMs: Int)
        case cancelled
    }

    /// Reads the client until it closes, sends what must be refused, or the stream is stopped.
    private func intake<Input: AsyncSequence & Sendable>(
        input: Input, queue: GuidanceQueue, outbox: Outbox, summary: IntakeTally
    ) async -> StageResult where Input.Element == CallInput {
        var intake = CallIntake(
            choice: container, requestedChannels: requestedChannels, limits: configuration.limits,
            resumedAfter: resume?.resumedAfter)
        defer { summary.totals.withLock { $0 = (intake.packets, intake.lostPackets) } }
        do {
            for try await item in input {
                lastActivity.withLock { $0 = .now }
                switch item {
                case .audio(let bytes):
                    guard bytes.count <= configuration.maxMessageBytes else {
                        return .ended(CallEnd(.tooLarge, "binary message of \(bytes.count) bytes exceeds the limit of \(configuration.maxMessageBytes)"))
                    }
                    let arrival = ContinuousClock.now
                    let (lostBefore, duplicatesBefore) = (intake.lostPackets, intake.duplicatePackets)
                    let packets = try intake.accept(bytes)
                    metrics.bytesReceived.increment(by: bytes.count)
                    metrics.framesReceived.increment(by: packets.count)
                    if intake.lostPackets > lostBefore { metrics.lostFrames.increment(by: Int(intake.lostPackets - lostBefore)) }
                    if intake.duplicatePackets > duplicatesBefore {
                        metrics.duplicateFrames.increment(by: Int(intake.duplicatePackets - duplicatesBefore))
                    }
                    if let head = intake.head { format.withLock { if $0 == nil { $0 = head } } }
                    for (packet, samples) in packets {
                        if let recorder, let head = intake.head {
                            do {
                                try await recorder.append(packet: packet.data, samples: samples, sequence: packet.sequence, head: head)
                            } catch {
                                return .ended(CallEnd(.internalError, "recording failed: \(error.description)"))
                            }
                        }
                        let queued = GuidanceQueue.QueuedPacket(data: packet.data, sequence: packet.sequence, samples: samples, arrival: arrival, skippedBefore: 0)
                        if configuration.pacing == .lossless {
                            await queue.send(queued)
                            lastActivity.withLock { $0 = .now }
                        } else if !queue.offer(queued) {
                            metrics.guidanceSkippedSeconds.increment(by: Double(samples) / 48_000)
                        }
                    }
                case .text(let text):
                    guard text.utf8.count <= configuration.maxMessageBytes else {
                        return .ended(CallEnd(.tooLarge, "text message of \(text.utf8.count) bytes exceeds the limit of \(configuration.maxMessageBytes)"))
                    }
                    switch try ClientMessage(parsing: text) {
                    case .keepalive:
                        break
                    case .finalize:
                        queue.control(.finalize)
                    case .close:
                        try intake.finish()
                        return .ended(CallEnd(.normal, "closed by the client", endsCall: true))
                    case .hintFeedback(let hintID, let action):
                        metrics.hintFeedback(action: action.rawValue)
                        if !shownHints.feedback(hintID: hintID, action) {
                            await outbox.push(.warning(.init(code: "unknown_hint", message: "no hint \"\(hintID)\" was shown in this session; feedback ignored")))
                        }
                    case .unknown(let type):
                        await outbox.push(.warning(.init(code: "unknown_message", message: "unknown message type \"\(type)\" ignored")))
                    case .invalid(let reason):
                        await outbox.push(.warning(.init(code: "invalid_message", message: reason)))
                    }
                }
            }
            // The socket closed without a `close` message: the call still ends in order.
            try intake.finish()
            return .ended(CallEnd(.normal, "the client disconnected"))
        } catch let error as AudioFormatError {
            metrics.decodeErrors.increment()
            logger.notice("audio refused", metadata: ["reason": .string(error.description)])
            return .ended(CallEnd(.badAudio, error.description))
        } catch let problem as ClientMessage.Problem {
            return .ended(CallEnd(.badMessage, problem.description))
        } catch let end as CallEnd {
            // The transport refused a message (too large, broken fragmentation).
            return .ended(end)
        } catch {
            if Task.isCancelled { return .cancelled }
            return .ended(CallEnd(.normal, "the connection closed"))
        }
    }

    /// Decodes and analyses queued audio until the queue is finished and drained.
    private func guidance(queue: GuidanceQueue, outbox: Outbox) async -> StageResult {
        // Until the first packet there is no format to decode with; a finalize before it is answered at 0.
        var first: GuidanceQueue.QueuedPacket?
        while first == nil {
            switch await queue.next() {
            case nil: return .drained(audioTimeMs: resume?.audioOffsetMs ?? 0)
            case .finalize?: await outbox.push(.finalized(audioTimeMs: resume?.audioOffsetMs ?? 0))
            case .packet(let packet)?: first = packet
            }
        }
        guard let head = format.withLock({ $0 }) else {
            return .ended(CallEnd(.internalError, "audio arrived before its format was known"))
        }
        var worker: GuidanceWorker
        do {
            let lease = speech.withLock { $0.take() } ?? .dynamics()
            worker = try GuidanceWorker(head: head, configuration: configuration.guidance, speech: lease,
                                        sendsTranscripts: configuration.sendsTranscripts,
                                        offsetMs: resume?.audioOffsetMs ?? 0)
        } catch {
            return .ended(CallEnd(.badAudio, error.description))
        }
        var next: GuidanceQueue.Item? = first.map { .packet($0) }
        while let item = next {
            if Task.isCancelled { return .cancelled }
            switch item {
            case .finalize:
                await outbox.push(.finalized(audioTimeMs: worker.audioTimeMs))
            case .packet(let packet):
                // Behind real time (the packet waited too long): skip its analysis to catch up; hints this
                // late would not help the rep. A burst sent faster than real time is not "behind".
                if configuration.pacing == .realtime, ContinuousClock.now - packet.arrival > configuration.maxGuidanceLag {
                    metrics.guidanceSkippedSeconds.increment(by: Double(packet.samples + packet.skippedBefore) / 48_000)
                    for message in worker.skip(samples48k: packet.skippedBefore + packet.samples) { await outbox.push(message) }
                    next = await queue.next()
                    continue
                }
                let messages: [ServerMessage]
                do {
                    messages = try worker.process(packet)
                } catch {
                    metrics.decodeErrors.increment()
                    return .ended(CallEnd(.badAudio, error.description))
                }
                metrics.pipelineLag.recordInterval(since: packet.arrival)
                for message in messages {
                    if case .hint(let hint) = message {
                        metrics.hintSent(kind: hint.kind.rawValue)
                        metrics.hintLatency.recordInterval(since: packet.arrival)
                        shownHints.record(hint)
                    }
                    await outbox.push(message)
                }
                // Recognizing speech keeps a thread busy for as long as there is audio queued, and a burst (a
                // file, a resend after a reconnect) queues minutes of it. Between packets, let the call's other
                // stages and other calls run: acks and intake must never wait for guidance.
                await Task.yield()
            }
            next = await queue.next()
        }
        let skipped = queue.pendingSkipSamples
        if skipped > 0 {
            for message in worker.skip(samples48k: skipped) { await outbox.push(message) }
        }
        for message in worker.finish() {
            if case .hint(let hint) = message {
                metrics.hintSent(kind: hint.kind.rawValue)
                shownHints.record(hint)
            }
            await outbox.push(message)
        }
        for (reason, count) in worker.suppressedHints { metrics.hintsSuppressed(reason: reason.rawValue, count: count) }
        return .drained(audioTimeMs: worker.audioTimeMs)
    }

    /// Makes the recording durable every `recordingFlushInterval` and acknowledges what it made durable.
    private func flushRecording(_ recorder: CallRecorder, outbox: Outbox) async -> StageResult {
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.recordingFlushInterval) } catch { return .cancelled }
            do {
                if let durable = try await recorder.flush() { await outbox.push(.ack(sequence: durable.sequence)) }
            } catch {
                return .ended(CallEnd(.internalError, "recording failed: \(error.description)"))
            }
        }
        return .cancelled
    }

    /// Finishes this connection's part file and sends the last `ack`; returns the end to report if that failed.
    private func finishRecording(_ recorder: CallRecorder, endsCall: Bool, outbox: Outbox) async -> CallEnd? {
        do {
            // The hints go in before the call can end: ending it queues the summary that reads them.
            try await recorder.saveHints(shownHints.all, sessionID: sessionID)
            let durable = try await recorder.flush()
            try await recorder.finish(endingCall: endsCall)
            if let durable { await outbox.push(.ack(sequence: durable.sequence)) }
            return nil
        } catch {
            return CallEnd(.internalError, "recording failed: \(error.description)")
        }
    }

    /// Ends the stream when neither audio nor a keepalive has arrived for the idle timeout.
    private func watchdog() async -> StageResult {
        let timeout = configuration.idleTimeout
        while !Task.isCancelled, stopRequest.withLock({ $0.end == nil }) {
            let deadline = lastActivity.withLock { $0 } + timeout
            if ContinuousClock.now >= deadline {
                return .ended(CallEnd(.idle, "no audio or keepalive for \(timeout.components.seconds) s"))
            }
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return .cancelled }
        }
        return .cancelled
    }

    /// Returns when `stop` is called, or when cancelled.
    private func waitForStop() async -> StageResult {
        let end: CallEnd? = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = stopRequest.withLock { state -> CallEnd?? in
                    if let end = state.end { return .some(end) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = stopRequest.withLock { state -> CheckedContinuation<CallEnd?, Never>? in
                let waiter = state.waiter
                state.waiter = nil
                return waiter
            }
            waiter?.resume(returning: nil)
        }
        guard let end else { return .cancelled }
        return .ended(end)
    }
}

extension Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}

/// What the intake counted, for the `closed` message; shared with the task that writes it.
final class IntakeTally: Sendable {
    let totals = Mutex<(packets: UInt64, lost: UInt64)>((0, 0))
}

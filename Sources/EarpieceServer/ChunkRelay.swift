/// Hands chunks from a producing task to a consuming one, one at a time: the producer waits until its chunk is
/// taken, so a client that reads slowly holds an export back instead of letting its chunks pile up in memory.
actor ChunkRelay {
    private var offered: [UInt8]?
    private var sender: CheckedContinuation<Void, any Error>?
    private var receiver: CheckedContinuation<[UInt8]?, any Error>?
    private var end: Result<Void, any Error>?
    private var abandoned = false

    /// Offers `chunk` and returns once the consumer has it; throws `CancellationError` once the consumer is gone.
    func send(_ chunk: [UInt8]) async throws {
        guard !abandoned else { throw CancellationError() }
        if let receiver {
            self.receiver = nil
            receiver.resume(returning: chunk)
            return
        }
        offered = chunk
        try await withCheckedThrowingContinuation { sender = $0 }
    }

    /// Ends the stream of chunks, with the producer's error if it failed.
    func finish(_ result: Result<Void, any Error>) {
        end = result
        guard let receiver else { return }
        self.receiver = nil
        switch result {
        case .success: receiver.resume(returning: nil)
        case .failure(let error): receiver.resume(throwing: error)
        }
    }

    /// The next chunk; `nil` at the end; the producer's error if it failed.
    func receive() async throws -> [UInt8]? {
        if let chunk = offered {
            offered = nil
            sender?.resume()
            sender = nil
            return chunk
        }
        switch end {
        case .success: return nil
        case .failure(let error): throw error
        case nil: return try await withCheckedThrowingContinuation { receiver = $0 }
        }
    }

    /// Called by a consumer that stops reading: a producer waiting on it, or offering later, gets an error.
    func abandon() {
        abandoned = true
        offered = nil
        sender?.resume(throwing: CancellationError())
        sender = nil
    }
}

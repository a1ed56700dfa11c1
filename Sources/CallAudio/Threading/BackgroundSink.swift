import AudioCore
import Foundation

/// Runs its downstream sink on a thread of its own, fed through a small bounded buffer, so a branch of a
/// tee (a speed copy's tempo changer and encoder) works on another core while the mix goes on.
///
/// `write` returns as soon as the chunk is queued; `finish` waits until the downstream has finished and
/// passes on any error it met. Memory stays bounded: `write` waits once `capacity` chunks are queued.
public final class BackgroundSink: AudioSink {
    private let input: ChunkBuffer
    private let outcome = ChunkBuffer(capacity: 1)
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts the thread at once. From here on only that thread touches `downstream`, until `finish` has
    /// returned (a caller may then read, say, an encoder's duration).
    public init(_ downstream: any AudioSink, capacity: Int = 4) {
        let input = ChunkBuffer(capacity: capacity)
        self.input = input
        let outcome = self.outcome
        let handOver = HandOver(downstream)
        let stopped = self.stopped
        let thread = Thread {
            Self.drain(input, into: handOver.take(), outcome: outcome)
            stopped.signal()
        }
        thread.name = "callaudio.sink"
        thread.start()
    }

    /// Stops the thread and waits until it has freed the downstream (an abandoned encoder removes its
    /// temporary file then), so nothing of a failed or cancelled run is left once this sink is gone.
    deinit {
        input.cancel()
        stopped.wait()
    }

    /// Feeds `downstream` from `input` until the end (then finishes it) or a failure; `downstream` is freed on
    /// return.
    private static func drain(_ input: ChunkBuffer, into downstream: any AudioSink, outcome: ChunkBuffer) {
        do {
            while case .chunk(let chunk) = input.take() { try downstream.write(chunk) }
            if case .end = input.take() {
                try downstream.finish()
                _ = outcome.put(.end)
            }
        } catch {
            _ = outcome.put(.failure(error))
            input.cancel()
        }
    }

    public func write(_ chunk: AudioChunk) throws {
        guard input.put(.chunk(chunk)) else { try rethrowFailure() }
    }

    public func finish() throws {
        guard input.put(.end) else { try rethrowFailure() }
        if case .failure(let error) = outcome.take() { throw error }
    }

    /// The downstream stopped early: throws what stopped it.
    private func rethrowFailure() throws -> Never {
        if case .failure(let error) = outcome.take() { throw error }
        preconditionFailure("the sink's thread stopped without an error")
    }
}

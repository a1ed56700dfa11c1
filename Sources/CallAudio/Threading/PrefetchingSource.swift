import AudioCore
import Foundation

/// Runs its upstream on a thread of its own and hands the chunks over through a small bounded buffer, so the
/// stages of two legs (decode, resample, denoise) run on two cores while the mixer pulls from both.
///
/// A plain thread, not Swift concurrency's cooperative pool: the work is CPU-bound C code that would starve
/// the pool. Memory stays bounded: the thread waits once `capacity` chunks are waiting to be read. Releasing
/// the source early stops the thread after its current chunk and waits until it has freed the upstream, so a
/// failed or cancelled run has removed its temporary files by the time it returns.
public final class PrefetchingSource: AudioSource {
    public let format: AudioFormat
    private let buffer: ChunkBuffer
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts reading `upstream` at once; from here on only the prefetching thread touches it.
    public init(_ upstream: any AudioSource, capacity: Int = 4) {
        format = upstream.format
        let buffer = ChunkBuffer(capacity: capacity)
        self.buffer = buffer
        let handOver = HandOver(upstream)
        let stopped = self.stopped
        let thread = Thread {
            Self.pump(handOver.take(), into: buffer)
            stopped.signal()
        }
        thread.name = "callaudio.prefetch"
        thread.start()
    }

    deinit {
        buffer.cancel()
        stopped.wait()
    }

    /// Reads `upstream` into `buffer` until the end, a failure, or the reader's cancel; `upstream` is freed on return.
    private static func pump(_ upstream: any AudioSource, into buffer: ChunkBuffer) {
        do {
            while let chunk = try upstream.read() {
                guard buffer.put(.chunk(chunk)) else { return }
            }
            _ = buffer.put(.end)
        } catch {
            _ = buffer.put(.failure(error))
        }
    }

    public func read() throws -> AudioChunk? {
        switch buffer.take() {
        case .chunk(let chunk): return chunk
        case .end, nil: return nil
        case .failure(let error): throw error
        }
    }
}

extension AudioSource {
    /// This source, read ahead on its own thread.
    public func prefetched(capacity: Int = 4) -> PrefetchingSource { PrefetchingSource(self, capacity: capacity) }
}

import AudioCore
import Foundation

/// Runs its upstream on a thread of its own and hands the chunks over through a small bounded buffer, so the
/// stages of two legs (decode, resample, denoise) run on two cores while the mixer pulls from both.
///
/// A plain thread, not Swift concurrency's cooperative pool: the work is CPU-bound C code that would starve
/// the pool. Memory stays bounded: the thread waits once `capacity` chunks are waiting to be read. Releasing
/// the source early stops the thread after its current chunk.
public final class PrefetchingSource: AudioSource {
    public let format: AudioFormat
    private let buffer: ChunkBuffer

    /// Starts reading `upstream` at once; from here on only the prefetching thread touches it.
    public init(_ upstream: any AudioSource, capacity: Int = 4) {
        format = upstream.format
        let buffer = ChunkBuffer(capacity: capacity)
        self.buffer = buffer
        let handOver = HandOver(upstream)
        let thread = Thread {
            let upstream = handOver.source
            do {
                while let chunk = try upstream.read() {
                    guard buffer.put(.chunk(chunk)) else { return }
                }
                _ = buffer.put(.end)
            } catch {
                _ = buffer.put(.failure(error))
            }
        }
        thread.name = "callaudio.prefetch"
        thread.start()
    }

    deinit { buffer.cancel() }

    public func read() throws -> AudioChunk? {
        switch buffer.take() {
        case .chunk(let chunk): return chunk
        case .end: return nil
        case .failure(let error): throw error
        }
    }
}

extension AudioSource {
    /// This source, read ahead on its own thread.
    public func prefetched(capacity: Int = 4) -> PrefetchingSource { PrefetchingSource(self, capacity: capacity) }
}

/// Moves a source to the prefetching thread. It is `@unchecked Sendable` because ownership moves wholly: the
/// creating thread keeps no reference, so the source is only ever used by one thread at a time.
private final class HandOver: @unchecked Sendable {
    let source: any AudioSource
    init(_ source: any AudioSource) { self.source = source }
}

/// A bounded first-in, first-out hand-over between one producing and one consuming thread.
private final class ChunkBuffer: @unchecked Sendable {
    enum Item {
        case chunk(AudioChunk)
        case end
        case failure(any Error)
    }

    // Every stored property is guarded by `condition`, which is what makes the class safe to share.
    private let condition = NSCondition()
    private let capacity: Int
    private var items: [Item] = []
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity > 0, "a hand-over buffer holds at least one chunk")
        self.capacity = capacity
    }

    /// Waits for room and appends `item`; false when the consumer has gone, so the producer should stop.
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Waits for the next item and removes it.
    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        // The end and failures stay, so reading past them keeps giving the same answer.
        if case .chunk = item {} else { items.insert(item, at: 0) }
        condition.broadcast()
        return item
    }

    /// Tells the producer to stop.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

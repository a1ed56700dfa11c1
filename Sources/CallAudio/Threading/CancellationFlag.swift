import AudioCore
import Synchronization

/// Tells a running job to stop: set from outside (a worker's heartbeat that lost its lease, a cancel, shutdown)
/// and checked by the stream between chunks, so the work stops within one chunk and publishes nothing.
public final class CancellationFlag: Sendable {
    private let cancelled = Atomic(false)

    public init() {}

    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    public func cancel() { cancelled.store(true, ordering: .releasing) }

    /// Throws `AudioError.Code.cancelled` once the flag is set.
    public func check() throws(AudioError) {
        if isCancelled { throw AudioError(.cancelled, "stopped before it finished (cancelled or taken over)") }
    }
}

/// Passes a stream on unchanged, checking `flag` before every chunk and before finishing: a cancelled run stops
/// at the next chunk, and its encoders, never finished, leave no final name behind.
final class CancellableSink: AudioSink {
    private let flag: CancellationFlag
    private let downstream: any AudioSink

    init(_ downstream: any AudioSink, flag: CancellationFlag) {
        self.flag = flag
        self.downstream = downstream
    }

    func write(_ chunk: AudioChunk) throws {
        try flag.check()
        try downstream.write(chunk)
    }

    func finish() throws {
        try flag.check()
        try downstream.finish()
    }
}

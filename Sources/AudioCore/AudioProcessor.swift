/// A stage that turns chunks into chunks: a resampler, a limiter, a noise suppressor, a tempo changer.
///
/// A processor may hold audio back (look-ahead, filter delay) and returns it from `flush()` at the end of the
/// stream. Its output must not depend on how the input was cut into chunks: the same stream fed one frame at
/// a time, in 10 ms frames, or whole gives the same samples (`AudioTesting.ChunkBoundaryVerifier` checks this).
public protocol AudioProcessor: AnyObject {
    /// The format of every chunk this processor emits.
    var outputFormat: AudioFormat { get }
    /// Processes the next input chunk and returns whatever output is ready (possibly empty).
    func process(_ chunk: AudioChunk) throws -> AudioChunk
    /// Signals the end of input and returns the audio still held back.
    func flush() throws -> AudioChunk
}

/// A source whose chunks pass through a processor: `source.through(processor)`.
public final class ProcessedSource<Upstream: AudioSource, Processor: AudioProcessor>: AudioSource {
    private let upstream: Upstream
    private let processor: Processor
    private var flushed = false

    public init(_ upstream: Upstream, _ processor: Processor) {
        self.upstream = upstream
        self.processor = processor
    }

    public var format: AudioFormat { processor.outputFormat }

    public func read() throws -> AudioChunk? {
        if flushed { return nil }
        if let chunk = try upstream.read() { return try processor.process(chunk) }
        flushed = true
        return try processor.flush()
    }
}

/// A sink that runs each chunk through a processor before handing it on: `sink.after(processor)`.
public final class ProcessedSink<Processor: AudioProcessor, Downstream: AudioSink>: AudioSink {
    private let processor: Processor
    private let downstream: Downstream

    public init(_ processor: Processor, _ downstream: Downstream) {
        self.processor = processor
        self.downstream = downstream
    }

    public func write(_ chunk: AudioChunk) throws {
        let output = try processor.process(chunk)
        if !output.isEmpty { try downstream.write(output) }
    }

    public func finish() throws {
        let output = try processor.flush()
        if !output.isEmpty { try downstream.write(output) }
        try downstream.finish()
    }
}

extension AudioSource {
    /// This source with every chunk passed through `processor`.
    public func through<P: AudioProcessor>(_ processor: P) -> ProcessedSource<Self, P> {
        ProcessedSource(self, processor)
    }
}

extension AudioSink {
    /// A sink that applies `processor` to each chunk and then writes it to this sink.
    public func after<P: AudioProcessor>(_ processor: P) -> ProcessedSink<P, Self> {
        ProcessedSink(processor, self)
    }
}

/// Pushes one stream into several sinks, so every output of a call comes from a single pass over its input.
public final class Tee: AudioSink {
    private let sinks: [any AudioSink]

    public init(_ sinks: [any AudioSink]) { self.sinks = sinks }

    public func write(_ chunk: AudioChunk) throws {
        for sink in sinks { try sink.write(chunk) }
    }

    public func finish() throws {
        for sink in sinks { try sink.finish() }
    }
}

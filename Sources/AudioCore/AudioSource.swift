/// The pull side of a stream: each `read()` returns the next chunk, or nil once the stream has ended.
///
/// A source owns whatever it reads from (a file handle, C codec state, an upstream source) and releases it
/// when it is deinitialised. Sources are single-threaded values of one pipeline and so not `Sendable`.
public protocol AudioSource: AnyObject {
    /// The format of every chunk this source returns.
    var format: AudioFormat { get }
    /// The next chunk (possibly empty), or nil at the end of the stream. Errors end the stream.
    func read() throws -> AudioChunk?
}

extension AudioSource {
    /// Pulls every chunk from this source and pushes it into `sink`, then finishes the sink.
    /// Returns the number of frames moved.
    @discardableResult
    public func drain(into sink: some AudioSink) throws -> Int {
        var frames = 0
        while let chunk = try read() {
            guard !chunk.isEmpty else { continue }
            frames += chunk.frameCount
            try sink.write(chunk)
        }
        try sink.finish()
        return frames
    }
}

/// The push side of a stream: chunks are written in order, then `finish()` is called exactly once.
///
/// A sink that produces a file writes it under a temporary name and only gives it its final name in
/// `finish()`, so a failed or abandoned stream never leaves a half-written output behind.
public protocol AudioSink: AnyObject {
    /// Accepts the next chunk of the stream.
    func write(_ chunk: AudioChunk) throws
    /// Ends the stream: flushes buffered audio and completes the output.
    func finish() throws
}

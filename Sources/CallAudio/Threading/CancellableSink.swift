import AudioCore

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

import AudioCore
import CSndFile

/// Writes a stream as 16-bit PCM WAV through libsndfile, atomically.
public final class WAVEncoder: EncodedOutput {
    private let output: TemporaryOutput
    private let format: AudioFormat
    private var file: SoundFile?
    private var framesWritten = 0

    public init(path: String, format: AudioFormat) throws(AudioError) {
        output = try TemporaryOutput(finalPath: path)
        self.format = format
        let file = try SoundFile(
            writing: output.temporaryPath, format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16),
            sampleRate: format.sampleRate, channelCount: format.channelCount)
        sf_command(file.handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        self.file = file
    }

    public func write(_ chunk: AudioChunk) throws {
        guard let file else { preconditionFailure("write after finish") }
        let written = chunk.samples.withUnsafeBufferPointer {
            sf_writef_float(file.handle, $0.baseAddress, sf_count_t(chunk.frameCount))
        }
        guard written == chunk.frameCount else {
            throw AudioError(.writeFailed, path: output.finalPath, "write failed (\(file.lastError ?? "short write"))")
        }
        framesWritten += chunk.frameCount
    }

    public var duration: Double { format.seconds(forFrames: framesWritten) }

    public func finish() throws {
        file = nil  // closing writes the final header
        try output.commit()
    }
}

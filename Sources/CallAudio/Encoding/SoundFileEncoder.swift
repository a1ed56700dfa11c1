import AudioCore
import CSndFile

/// Writes a stream through libsndfile, atomically: WAV (16-bit PCM, mu-law or A-law) or Ogg/Opus.
public final class SoundFileEncoder: EncodedOutput {
    /// The container and sample encoding written.
    public enum Encoding: String, Sendable, Codable {
        case pcm16
        /// G.711 mu-law in WAV, as North American telephone systems play it.
        case mulaw
        /// G.711 A-law in WAV, as European telephone systems play it.
        case alaw
        /// Ogg/Opus (8, 12, 16, 24 or 48 kHz).
        case opus

        var sndfileFormat: Int32 {
            switch self {
            case .pcm16: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
            case .mulaw: Int32(SF_FORMAT_WAV | SF_FORMAT_ULAW)
            case .alaw: Int32(SF_FORMAT_WAV | SF_FORMAT_ALAW)
            case .opus: Int32(SF_FORMAT_OGG | SF_FORMAT_OPUS)
            }
        }
    }

    private let output: TemporaryOutput
    private let format: AudioFormat
    private var file: SoundFile?
    private var framesWritten = 0

    public init(path: String, format: AudioFormat, encoding: Encoding = .pcm16) throws(AudioError) {
        output = try TemporaryOutput(finalPath: path)
        self.format = format
        let file = try SoundFile(
            writing: output.temporaryPath, format: encoding.sndfileFormat, sampleRate: format.sampleRate,
            channelCount: format.channelCount)
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

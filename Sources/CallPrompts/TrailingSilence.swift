import AudioCore

/// Appends `seconds` of digital silence at the end of a stream.
final class TrailingSilence: AudioProcessor {
    let outputFormat: AudioFormat
    private let frames: Int

    init(format: AudioFormat, seconds: Double) {
        outputFormat = format
        frames = format.frames(forSeconds: seconds)
    }

    func process(_ chunk: AudioChunk) throws -> AudioChunk { chunk }

    func flush() throws -> AudioChunk {
        AudioChunk(format: outputFormat, samples: [Float](repeating: 0, count: frames * outputFormat.channelCount))
    }
}

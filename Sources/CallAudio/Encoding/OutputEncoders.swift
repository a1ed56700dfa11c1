import AudioCore

extension Encoding {
    /// The sink that writes a stream of `format` to `path` in this encoding.
    public func makeSink(path: String, format: AudioFormat, tags: Tags) throws(AudioError) -> any EncodedOutput {
        switch container {
        case .mp3: return try MP3Encoder(path: path, format: format, encoding: self, tags: tags)
        case .wav: return try SoundFileEncoder(path: path, format: format)
        }
    }
}

/// A sink that produces one encoded file.
public protocol EncodedOutput: AudioSink {
    /// Seconds of audio written so far.
    var duration: Double { get }
}

extension MP3Encoder: EncodedOutput {}

import AudioCore
import CallAudio

/// One file a prompt is written as, for one kind of player.
public struct PromptRendition: Sendable, Codable, Equatable {
    public var file: String
    public var sampleRate: Int
    /// `mulaw`, `alaw`, `pcm16`, `opus` or `mp3`.
    public var encoding: String
    /// Filled in once written.
    public var bytes: Int?

    /// Every rendition, side by side: G.711 for the phone network (both laws), linear PCM at narrow- and
    /// wideband rates for media servers that transcode themselves, Opus for WebRTC calls, MP3 to preview in a
    /// browser.
    public static let all: [PromptRendition] = [
        PromptRendition(file: "prompt-ulaw.wav", sampleRate: 8_000, encoding: "mulaw"),
        PromptRendition(file: "prompt-alaw.wav", sampleRate: 8_000, encoding: "alaw"),
        PromptRendition(file: "prompt-8k.wav", sampleRate: 8_000, encoding: "pcm16"),
        PromptRendition(file: "prompt-16k.wav", sampleRate: 16_000, encoding: "pcm16"),
        PromptRendition(file: "prompt.opus", sampleRate: 48_000, encoding: "opus"),
        PromptRendition(file: "prompt.mp3", sampleRate: 16_000, encoding: "mp3"),
    ]

    /// The encoder writing this rendition at `path`.
    func makeEncoder(path: String) throws(AudioError) -> any EncodedOutput {
        let format = AudioFormat.mono(sampleRate)
        if let soundFile = SoundFileEncoder.Encoding(rawValue: encoding) {
            return try SoundFileEncoder(path: path, format: format, encoding: soundFile)
        }
        return try Encoding(container: .mp3, bitrate: 48).makeSink(
            path: path, format: format, tags: Tags(title: "Prompt"))
    }
}

import AudioCore
import Foundation

extension Fixtures {
    /// Where an MP4 file keeps its index (the moov box), which decides what a cut-short copy still holds.
    public enum MP4Layout: String, CaseIterable, Sendable {
        /// After the audio, as ffmpeg and most recorders write it: a cut copy has no index.
        case indexLast
        /// Before the audio ("fast start", for streaming): a cut copy has its index and part of its audio.
        case indexFirst
        /// Fragments of audio each with its own small index, as Safari's `MediaRecorder` writes.
        case fragmented

        var movflags: [String] {
            switch self {
            case .indexLast: []
            case .indexFirst: ["-movflags", "+faststart"]
            case .fragmented: ["-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "500000"]
            }
        }
    }

    /// Writes `audio` as AAC (LC) in an M4A file, encoded by Debian's ffmpeg (its own AAC encoder).
    public static func writeM4A(
        _ audio: AudioChunk, to url: URL, layout: MP4Layout = .indexLast, bitrate: Int = 96_000
    ) throws {
        let wav = url.deletingPathExtension().appendingPathExtension("source.wav")
        defer { try? FileManager.default.removeItem(at: wav) }
        try write(audio, to: wav, as: .float32)
        try encodeM4A(wav, to: url, layout: layout, bitrate: bitrate)
    }

    /// Encodes the audio file at `input` (anything ffmpeg reads) as AAC (LC) in an M4A file at `url`.
    public static func encodeM4A(_ input: URL, to url: URL, layout: MP4Layout = .indexLast, bitrate: Int = 96_000)
        throws
    {
        _ = try ExternalTool.output(
            "/usr/bin/ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-y", "-i", input.path, "-c:a", "aac", "-b:a", "\(bitrate)"]
                + layout.movflags + ["-f", "mp4", url.path])
    }
}

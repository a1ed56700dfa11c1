import CPocketSphinx
import Foundation

/// The embedded engine: CMU PocketSphinx in-process, with Debian's US English model
/// (`pocketsphinx-en-us`). No network and nothing to install beyond the Debian packages, so the pipeline
/// always has a transcript; it is far less accurate than Whisper on telephone audio (see RESULTS.md), a
/// fallback rather than what users should read by default.
///
/// Owns one decoder (it holds the loaded model) and frees it in `deinit`.
public final class PocketSphinxTranscriber: Transcriber {
    /// Where Debian's `pocketsphinx-en-us` installs the model.
    public static let debianModelDirectory = "/usr/share/pocketsphinx/model/en-us"
    /// Seconds per decoder frame (100 frames a second).
    private static let frameSeconds = 0.01

    public let engineName = "pocketsphinx"
    public let modelName: String
    private let decoder: OpaquePointer

    /// Loads the model in `modelDirectory` (holding the `en-us` acoustic model folder, `en-us.lm.bin` and
    /// `cmudict-en-us.dict`).
    /// - Throws: `TranscriptionError.misconfigured` naming the folder when the model cannot be loaded.
    public init(modelDirectory: String = PocketSphinxTranscriber.debianModelDirectory) throws {
        let folder = URL(fileURLWithPath: modelDirectory)
        let hmm = folder.appendingPathComponent("en-us").path
        guard FileManager.default.fileExists(atPath: hmm),
            let decoder = cps_decoder_create(
                hmm, folder.appendingPathComponent("en-us.lm.bin").path,
                folder.appendingPathComponent("cmudict-en-us.dict").path)
        else {
            throw TranscriptionError(
                .misconfigured,
                "\(modelDirectory): no PocketSphinx en-us model here (install Debian's pocketsphinx-en-us)")
        }
        self.decoder = decoder
        modelName = folder.lastPathComponent
    }

    deinit { ps_free(decoder) }

    public func transcribe(_ clip: SpeechClip) throws -> [RecognizedSpeech] {
        let pcm = clip.pcm16
        guard ps_start_utt(decoder) >= 0,
            pcm.withUnsafeBufferPointer({ ps_process_raw(decoder, $0.baseAddress, $0.count, 0, 1) }) >= 0,
            ps_end_utt(decoder) >= 0
        else {
            throw TranscriptionError(.malformedReply, "pocketsphinx could not decode the speech at \(clip.start) s")
        }
        let words = recognizedWords(offset: clip.start)
        guard let first = words.first, let last = words.last else { return [] }
        return [
            RecognizedSpeech(
                start: first.start, end: last.end, text: words.map(\.word).joined(separator: " "), words: words)
        ]
    }

    /// The words of the last utterance, without silences, fillers and sentence marks, timed from `offset`.
    private func recognizedWords(offset: Double) -> [TranscriptWord] {
        var words: [TranscriptWord] = []
        var segment = ps_seg_iter(decoder)
        while let current = segment {
            if let name = ps_seg_word(current).map({ String(cString: $0) }), let word = Self.spokenWord(name) {
                var startFrame: Int32 = 0
                var endFrame: Int32 = 0
                ps_seg_frames(current, &startFrame, &endFrame)
                words.append(
                    TranscriptWord(
                        word: word, start: offset + Double(startFrame) * Self.frameSeconds,
                        end: offset + Double(endFrame + 1) * Self.frameSeconds))
            }
            segment = ps_seg_next(current)
        }
        return words
    }

    /// The word as spoken (`read(2)`, an alternative pronunciation, reads `read`); nil for `<s>`, `</s>`,
    /// `<sil>` and fillers such as `[NOISE]` or `++UM++`.
    static func spokenWord(_ name: String) -> String? {
        guard let first = name.first, first != "<", first != "[", first != "+" else { return nil }
        return name.split(separator: "(").first.map(String.init)
    }
}

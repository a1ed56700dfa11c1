import Foundation

/// The embedded engine: CMU PocketSphinx in-process, with Debian's US English model
/// (`pocketsphinx-en-us`). No network and nothing to install beyond the Debian packages, so the pipeline
/// always has a transcript; it is far less accurate than Whisper on telephone audio (see RESULTS.md), a
/// fallback rather than what users should read by default.
///
/// The library is loaded on first use (`PocketSphinxLibrary`), so commands that never transcribe never load it.
/// Owns one decoder (it holds the loaded model) and frees it in `deinit`.
public final class PocketSphinxTranscriber: Transcriber {
    /// Where Debian's `pocketsphinx-en-us` installs the model.
    public static let debianModelDirectory = "/usr/share/pocketsphinx/model/en-us"
    /// Seconds per decoder frame (100 frames a second).
    private static let frameSeconds = 0.01

    public let engineName = "pocketsphinx"
    /// Each stretch on its own, as measured in benchmarks/RESULTS.md (section 15).
    public let longestClip = 0.0
    public let modelName: String
    private let library: PocketSphinxLibrary
    private let decoder: UnsafeMutableRawPointer

    /// Loads the model in `modelDirectory` (holding the `en-us` acoustic model folder, `en-us.lm.bin` and
    /// `cmudict-en-us.dict`).
    /// - Throws: `TranscriptionError.misconfigured` naming the library or the folder when either cannot be loaded.
    public init(modelDirectory: String = PocketSphinxTranscriber.debianModelDirectory) throws {
        do {
            library = try PocketSphinxLibrary.shared.get()
        } catch {
            throw TranscriptionError(
                .misconfigured, "pocketsphinx cannot be loaded (\(error.reason)): install Debian's libpocketsphinx3")
        }
        let folder = URL(fileURLWithPath: modelDirectory)
        let hmm = folder.appendingPathComponent("en-us").path
        guard FileManager.default.fileExists(atPath: hmm),
            let decoder = library.makeDecoder(
                hmm: hmm, lm: folder.appendingPathComponent("en-us.lm.bin").path,
                dict: folder.appendingPathComponent("cmudict-en-us.dict").path)
        else {
            throw TranscriptionError(
                .misconfigured,
                "\(modelDirectory): no PocketSphinx en-us model here (install Debian's pocketsphinx-en-us)")
        }
        self.decoder = decoder
        modelName = folder.lastPathComponent
    }

    deinit { _ = library.free(decoder) }

    public func transcribe(_ clip: SpeechClip) throws -> [RecognizedSpeech] {
        let pcm = clip.pcm16
        guard library.startUtterance(decoder) >= 0,
            pcm.withUnsafeBufferPointer({ library.processRaw(decoder, $0.baseAddress, $0.count, 0, 1) }) >= 0,
            library.endUtterance(decoder) >= 0
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
        var segment = library.firstSegment(decoder)
        while let current = segment {
            if let name = library.segmentWord(current).map({ String(cString: $0) }), let word = Self.spokenWord(name) {
                var startFrame: Int32 = 0
                var endFrame: Int32 = 0
                library.segmentFrames(current, &startFrame, &endFrame)
                words.append(
                    TranscriptWord(
                        word: word, start: offset + Double(startFrame) * Self.frameSeconds,
                        end: offset + Double(endFrame + 1) * Self.frameSeconds))
            }
            segment = library.nextSegment(current)
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

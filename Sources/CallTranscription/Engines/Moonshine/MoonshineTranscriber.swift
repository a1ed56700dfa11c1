import AudioCore
import Foundation

/// The embedded engine worth reading: Moonshine base (English, MIT, 8-bit ONNX weights) run in-process through
/// ONNX Runtime's C API, with no server and no Python. Installed by `scripts/install-moonshine.sh`
/// (`MoonshineInstallation`); where it is installed and no transcription server is configured, it is the default
/// engine (`TranscriberChoice.resolve`), and pocketsphinx the last resort.
///
/// Each stretch of speech (at most 25 s, cut at silences) is decoded greedily with `trailingSilence` after it, with
/// at most `maximumTokensPerSecond` tokens per second of audio so that a decoder caught in a loop stops; the
/// repeated tail of a decode stopped that way is cut to one occurrence. A stretch whose decoding ends far too early
/// is decoded again as it is, and then, if still too short, in two halves. Moonshine gives no word times and no
/// confidence: each stretch (or half) is one segment.
/// Owns its models (and their ONNX Runtime handles), freed when it goes.
public final class MoonshineTranscriber: ConcurrentTranscriber {
    /// Speech runs at about 3 to 4 tokens a second; a stretch that asks for more than this is looping.
    public static let maximumTokensPerSecond = 6.5

    public let engineName = "moonshine"
    public let modelName = "base-en"
    /// Each stretch on its own: joined into longer clips, Moonshine read the call's words a little better (6 of 214
    /// wrong in 28 s clips against 8) but numbers read digit by digit far worse (7 of 68 digits wrong against 0;
    /// 6 in 16 s clips), and no better than alone in 10 s clips.
    public let longestClip = 0.0
    /// Two stretches decode side by side: the decoder, one token at a time, keeps two cores only partly busy.
    public let clipsAtOnce = 2
    private let model: MoonshineModel
    private let tokenizer: MoonshineTokenizer

    /// Loads Moonshine from `installation`, or from the one `MoonshineInstallation.locate()` finds.
    /// - Parameter threads: threads per model operation (ONNX Runtime's intra-op threads).
    /// - Throws: `TranscriptionError.misconfigured` in one line saying what is missing or damaged and how to
    ///   install it.
    public init(installation: MoonshineInstallation? = nil, threads: Int = MoonshineTranscriber.defaultThreads)
        throws
    {
        var found = installation
        if found == nil {
            do {
                found = try MoonshineInstallation.locate()
            } catch {
                throw TranscriptionError(.misconfigured, error.description)
            }
        }
        guard let found else { throw TranscriptionError(.misconfigured, MoonshineInstallation.installHint) }
        model = try MoonshineModel(found, threads: threads)
        tokenizer = try MoonshineTokenizer(contentsOf: found.tokenizerPath)
    }

    /// Two threads where there are two cores or more: a stretch decodes about half again as fast as on one.
    public static var defaultThreads: Int { min(2, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    public func transcribe(_ clip: SpeechClip) throws -> [RecognizedSpeech] {
        guard clip.language == "en" else {
            throw TranscriptionError(.misconfigured, "Moonshine base transcribes English only, not \(clip.language)")
        }
        return try recognize(clip.samples[...], at: clip.start)
    }

    /// Seconds of silence decoded after each stretch. The voice detector closes a stretch 0.2 s after its last
    /// voiced frame, and Moonshine, with so little quiet after the last word, often mistakes it or the words
    /// before it ("Pressed forward" for "Press 4"): with 0.3 s more it gets 6 words wrong of 430 on the real-speech
    /// set against 11, and 32 of 1,190 on its held-out leg against 39 (0.2 to 0.5 s did as well; silence before
    /// the stretch did not help; benchmarks/RESULTS.md, section 21).
    public static let trailingSilence = 0.3

    /// Fewer tokens than this per second of a stretch of speech means the decoder ended early: Moonshine sometimes
    /// says `</s>` at once on a short stretch of digits followed by silence, which it reads well without it, and
    /// first on a long stretch that it reads well in halves.
    static let minimumTokensPerSecond = 1.0
    /// Stretches shorter than this are not cut in halves.
    static let shortestCut = 4.0

    /// What is said in `samples` (starting at `start` on the call's timeline): one segment, or the segments of
    /// its two halves (cut at the quietest 20 ms of its middle third) when the decoder gave up early both with
    /// `trailingSilence` after the stretch and without.
    private func recognize(_ samples: ArraySlice<Float>, at start: Double) throws -> [RecognizedSpeech] {
        guard !samples.isEmpty else { return [] }
        let seconds = Double(samples.count) / Double(SpeechClip.sampleRate)
        let endedEarly = { (tokens: [Int]) in Double(tokens.count) < seconds * Self.minimumTokensPerSecond }
        let silence = [Float](repeating: 0, count: Int(Self.trailingSilence * Double(SpeechClip.sampleRate)))
        var tokens = try decode(Array(samples) + silence, seconds: seconds)
        if endedEarly(tokens) { tokens = try decode(Array(samples), seconds: seconds) }
        if endedEarly(tokens), seconds >= Self.shortestCut {
            let cut = Self.quietestPoint(in: samples)
            return try recognize(samples[..<cut], at: start)
                + recognize(
                    samples[cut...], at: start + Double(cut - samples.startIndex) / Double(SpeechClip.sampleRate))
        }
        let text = tokenizer.text(of: tokens)
        guard !text.isEmpty else { return [] }
        return [RecognizedSpeech(start: start, end: start + seconds, text: text)]
    }

    /// The tokens of `audio`, which holds `seconds` of speech: at most `maximumTokensPerSecond` of them, a repeated
    /// tail cut when decoding stopped there.
    private func decode(_ audio: [Float], seconds: Double) throws -> [Int] {
        let decoded = try model.decode(audio, limit: Int((seconds * Self.maximumTokensPerSecond).rounded(.up)))
        return decoded.finished ? decoded.tokens : Self.cuttingRepetition(decoded.tokens)
    }

    /// The index at the middle of the quietest 20 ms frame of the middle third of `samples`.
    static func quietestPoint(in samples: ArraySlice<Float>) -> Int {
        let frame = SpeechClip.sampleRate / 50
        let third = samples.count / 3
        var best = samples.startIndex + samples.count / 2
        var lowest = Float.infinity
        for frameStart in stride(from: samples.startIndex + third, to: samples.endIndex - third - frame, by: frame) {
            let energy = samples[frameStart..<frameStart + frame].reduce(0) { $0 + $1 * $1 }
            if energy < lowest {
                lowest = energy
                best = frameStart + frame / 2
            }
        }
        return best
    }

    /// `tokens` with a tail that repeats itself (the same 1 to 12 tokens three times or more in a row, as a decoder
    /// caught in a loop writes them) cut to its first occurrence.
    static func cuttingRepetition(_ tokens: [Int]) -> [Int] {
        guard tokens.count >= 3 else { return tokens }
        for period in 1...min(12, tokens.count / 3) {
            var end = tokens.count
            var occurrences = 1
            while end >= 2 * period, tokens[(end - 2 * period)..<(end - period)] == tokens[(end - period)..<end] {
                occurrences += 1
                end -= period
            }
            if occurrences >= 3 { return Array(tokens[..<end]) }
        }
        return tokens
    }
}

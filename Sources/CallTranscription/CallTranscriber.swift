import AudioCore
import CallAudio
import Foundation

/// Transcribes a call leg by leg and merges the legs by time: each leg is read once, cut into its stretches of
/// speech by webrtc's voice detector (silence never reaches the engine), consecutive stretches are joined into
/// clips of up to the engine's `longestClip`, and each clip is recognised with its times moved back to the leg, the
/// leg's offset applied and the leg's role as its speaker. A one-leg voicemail has one speaker.
public struct CallTranscriber {
    public var engine: any Transcriber
    /// ISO 639-1 code of the language spoken.
    public var language: String
    /// Noise suppression applied to each leg before recognition; `recommendedDenoise` unless a caller asks
    /// otherwise.
    public var denoise: NoiseSuppressor.Level

    /// The clean-up before recognition that the CLI, the queue's workers (calls and voicemails) and the service
    /// all use, so that one recording gives one transcript whichever way it is sent: none. Measured on real
    /// telephone speech (benchmarks/RESULTS.md, section 15), Whisper got as many or fewer words and digits wrong
    /// on the raw leg than after webrtc `moderate` (which added errors on every leg) or DeepFilterNet3 (no better
    /// on clean legs, 2.7 times slower, and worse on the noisy caller leg of issue 26); the cleaned audio is still
    /// what listeners get.
    public static let recommendedDenoise = NoiseSuppressor.Level.off

    public init(
        engine: any Transcriber, language: String = "en", denoise: NoiseSuppressor.Level = recommendedDenoise
    ) {
        self.engine = engine
        self.language = language
        self.denoise = denoise
    }

    /// The merged transcript of `legs`. `progress` is told after each stretch of speech which leg it was on
    /// and how far into that leg (seconds on the leg's own timeline) the engine has got.
    /// - Throws: `AudioError` for a leg that cannot be read, `TranscriptionError` from the engine.
    public func transcribe(
        _ legs: [CallRecipe.Leg], progress: (_ leg: Int, _ seconds: Double) -> Void = { _, _ in }
    ) throws -> Transcript {
        // The call's timeline starts with its earliest leg, as the mixed audio does.
        let earliest = legs.map(\.offset).min() ?? 0
        var segments: [[TranscriptSegment]] = []
        for (index, leg) in legs.enumerated() {
            let speaker = TranscriptSegment.speakerName(role: leg.role, leg: index)
            var legSegments: [TranscriptSegment] = []
            var clip = JoinedSpeech()
            func recognise() throws {
                guard !clip.isEmpty else { return }
                let speech = try engine.transcribe(SpeechClip(start: 0, samples: clip.samples, language: language))
                legSegments += speech.flatMap { clip.placing($0, offsetBy: leg.offset - earliest) }.map {
                    TranscriptSegment(DigitGroups.apply(to: $0), speaker: speaker, leg: index)
                }
                progress(index, clip.legEnd)
                clip = JoinedSpeech()
            }
            try leg.forEachSpeechSpan(sampleRate: SpeechClip.sampleRate, denoise: denoise) { span in
                if !clip.admits(span, within: engine.longestClip) { try recognise() }
                clip.append(span)
            }
            try recognise()
            segments.append(legSegments)
        }
        return Transcript.merging(segments, engine: engine.engineName, model: engine.modelName, language: language)
    }

    /// Transcribes the call that `recipe` describes and `report` records (its audio already written), and
    /// publishes the transcript files beside the audio together with the report that records them
    /// (`<name>.json`), once `permission` allows.
    /// - Returns: the report with its `transcript` filled in.
    public func transcribe(
        _ recipe: CallRecipe, report: CallReport, permission: CancellationFlag = CancellationFlag(),
        progress: (_ leg: Int, _ seconds: Double) -> Void = { _, _ in }
    ) throws -> CallReport {
        let clock = ContinuousClock()
        let started = clock.now
        let transcript = try transcribe(recipe.legs, progress: progress)
        let files = TranscriptFiles(directory: recipe.outputDirectory, name: recipe.outputName)
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var report = report
        report.transcript = CallReport.Transcript(
            json: files.json, vtt: files.vtt, srt: files.srt, text: files.text, engine: transcript.engine,
            model: transcript.model, language: transcript.language, wordCount: transcript.wordCount,
            seconds: seconds, speed: seconds > 0 ? report.duration / seconds : 0)
        try files.write(transcript, report: report, permission: permission)
        return report
    }
}

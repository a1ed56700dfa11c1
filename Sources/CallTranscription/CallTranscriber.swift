import AudioCore
import CallAudio
import Foundation

/// Transcribes a call leg by leg and merges the legs by time: each leg is read for its noise floor (unless a
/// clean-up is given), then cut into its stretches of speech by webrtc's voice detector (silence never reaches the
/// engine), consecutive stretches are joined into clips of up to the engine's `longestClip`, and each clip is
/// recognised with its times moved back to the leg, the leg's offset applied and the leg's role as its speaker. A
/// one-leg voicemail has one speaker. The legs are read and cut on a thread of their own while the engine works on
/// the clip before (`ClipHandover`).
public struct CallTranscriber {
    public var engine: any Transcriber
    /// ISO 639-1 code of the language spoken.
    public var language: String
    /// Noise suppression applied to every leg before recognition, or nil (the default) to choose it for each leg
    /// from its noise (`cleanup(for:)`).
    public var denoise: NoiseSuppressor.Level?

    public init(engine: any Transcriber, language: String = "en", denoise: NoiseSuppressor.Level? = nil) {
        self.engine = engine
        self.language = language
        self.denoise = denoise
    }

    /// A leg whose quiet (`NoiseFloorMeter`) is this loud or louder, in dBFS, is cleaned before recognition.
    public static let noisyLegFloor = -45.0

    /// The clean-up before recognition that the CLI, the queue's workers (calls and voicemails) and the service all
    /// choose for `leg` when none is given, so that one recording gives one transcript whichever way it is sent:
    /// webrtc `moderate` on a noisy leg (its noise floor at `noisyLegFloor` or louder), none on a clean one.
    /// Measured on real telephone speech (benchmarks/RESULTS.md, sections 15 to 17): on clean legs Whisper got as
    /// many or fewer words wrong on the raw leg; under heavy noise the raw leg lost 88 words of 111 (faster-whisper
    /// on it: 86) and the cleaned one 47; under light noise it can go either way by a few words. The cleaned audio
    /// is still what listeners get.
    /// - Throws: `AudioError` when the leg cannot be read.
    public static func cleanup(for leg: CallRecipe.Leg) throws -> NoiseSuppressor.Level {
        try leg.noiseFloor(sampleRate: SpeechClip.sampleRate) >= noisyLegFloor ? .moderate : .off
    }

    /// The merged transcript of `legs`. `progress` is told after each clip which leg it was on and how far into
    /// that leg (seconds on the leg's own timeline) the engine has got.
    /// - Throws: `AudioError` for a leg that cannot be read, `TranscriptionError` from the engine.
    public func transcribe(
        _ legs: [CallRecipe.Leg], progress: (_ leg: Int, _ seconds: Double) -> Void = { _, _ in }
    ) throws -> Transcript {
        // The call's timeline starts with its earliest leg, as the mixed audio does.
        let earliest = legs.map(\.offset).min() ?? 0
        let clips = ClipHandover<LegClip>()
        defer { clips.abandon() }
        Self.startCutting(legs, denoise: denoise, longestClip: engine.longestClip, into: clips)
        var segments = [[TranscriptSegment]](repeating: [], count: legs.count)
        while let (index, clip) = try clips.take() {
            let leg = legs[index]
            let speaker = TranscriptSegment.speakerName(role: leg.role, leg: index)
            let speech = try engine.transcribe(SpeechClip(start: 0, samples: clip.samples, language: language))
            segments[index] += speech.flatMap { clip.placing($0, offsetBy: leg.offset - earliest) }.map {
                TranscriptSegment(DigitGroups.apply(to: $0), speaker: speaker, leg: index)
            }
            progress(index, clip.legEnd)
        }
        return Transcript.merging(segments, engine: engine.engineName, model: engine.modelName, language: language)
    }

    /// A clip and the index of the leg it was cut from.
    private typealias LegClip = (leg: Int, clip: JoinedSpeech)

    /// Reads `legs` one after the other on a thread of its own, each cleaned as `denoise` says (or as
    /// `cleanup(for:)` chooses), cut into stretches of speech and joined into clips of up to `longestClip`
    /// seconds, which it hands over to `clips` in order; a leg that cannot be read ends it with its error.
    private static func startCutting(
        _ legs: [CallRecipe.Leg], denoise: NoiseSuppressor.Level?, longestClip: Double,
        into clips: ClipHandover<LegClip>
    ) {
        struct TakerGone: Error {}
        Thread.detachNewThread {
            do {
                for (index, leg) in legs.enumerated() {
                    var clip = JoinedSpeech()
                    func handOver() throws {
                        guard clips.put((index, clip)) else { throw TakerGone() }
                        clip = JoinedSpeech()
                    }
                    let cleanup = try denoise ?? Self.cleanup(for: leg)
                    try leg.forEachSpeechSpan(sampleRate: SpeechClip.sampleRate, denoise: cleanup) { span in
                        if !clip.admits(span, within: longestClip) { try handOver() }
                        clip.append(span)
                    }
                    if !clip.isEmpty { try handOver() }
                }
                clips.finish()
            } catch {
                clips.finish(throwing: error)
            }
        }
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

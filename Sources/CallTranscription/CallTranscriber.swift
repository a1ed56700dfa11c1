import AudioCore
import CallAudio
import Foundation

/// Transcribes a call leg by leg and merges the legs by time: each leg is read for its noise floor (unless a
/// clean-up is given), then cut into its stretches of speech by webrtc's voice detector (silence never reaches the
/// engine), consecutive stretches are joined into clips of up to the engine's `longestClip`, and each clip is
/// recognised with its times moved back to the leg, the leg's offset applied and the leg's role as its speaker. A
/// noisy leg may be read several ways, cleaned and raw, and the readings voted on word by word (`readings(of:)`). A
/// one-leg voicemail has one speaker. The legs are read and cut on a thread of their own while the engine works on
/// the clips before (`ClipHandover`); an engine that takes several clips at once is given them side by side
/// (`SideBySide`).
public struct CallTranscriber {
    public var engine: any Transcriber
    /// ISO 639-1 code of the language spoken.
    public var language: String
    /// Noise suppression applied to every leg before recognition, or nil (the default) to choose it for each leg
    /// from its noise (`cleanup(for:)`).
    public var denoise: NoiseSuppressor.Level?
    /// Whether a noisy leg is also read cleaned by DeepFilterNet3 (`readings(of:)`); by default, where it is
    /// installed (`DeepFilterInstallation.locate()`).
    public var readsWithDeepFilter: Bool

    public init(
        engine: any Transcriber, language: String = "en", denoise: NoiseSuppressor.Level? = nil,
        readsWithDeepFilter: Bool = (try? DeepFilterInstallation.locate()) != nil
    ) {
        self.engine = engine
        self.language = language
        self.denoise = denoise
        self.readsWithDeepFilter = readsWithDeepFilter
    }

    /// A leg whose quiet (`NoiseFloorMeter`) is this loud or louder, in dBFS, is cleaned before recognition.
    public static let noisyLegFloor = -45.0

    /// The clean-up before recognition that the CLI, the queue's workers (calls and voicemails) and the service all
    /// choose for `leg` when none is given, so that one recording gives one transcript whichever way it is sent:
    /// webrtc `moderate` on a noisy leg (its noise floor at `noisyLegFloor` or louder), none on a clean one.
    /// Measured on real telephone speech (benchmarks/RESULTS.md, sections 15 to 17): on clean legs Whisper got as
    /// many or fewer words wrong on the raw leg; under heavy noise the raw leg lost 88 words of 111 (faster-whisper
    /// on it: 86) and the cleaned one 47; under light noise it can go either way by a few words, which is why an
    /// engine that `ranksByConfidence` also reads a noisy leg raw (`readings(of:)`). The cleaned audio is still
    /// what listeners get.
    /// - Throws: `AudioError` when the leg cannot be read.
    public static func cleanup(for leg: CallRecipe.Leg) throws -> NoiseSuppressor.Level {
        try leg.noiseFloor(sampleRate: SpeechClip.sampleRate) >= noisyLegFloor ? .moderate : .off
    }

    /// The clean-ups `leg` is read with, in order: `denoise` when given; otherwise `cleanup(for:)`'s choice, and
    /// for a noisy leg read by an engine whose confidence `ranksByConfidence`, the raw leg too and, when it
    /// `readsWithDeepFilter`, the leg cleaned by DeepFilterNet3 (`LegReadings.kept` says what is kept of them).
    /// - Throws: `AudioError` when the leg cannot be read.
    static func readings(
        of leg: CallRecipe.Leg, denoise: NoiseSuppressor.Level?, ranksByConfidence: Bool, readsWithDeepFilter: Bool
    ) throws -> [NoiseSuppressor.Level] {
        if let denoise { return [denoise] }
        let chosen = try cleanup(for: leg)
        guard chosen != .off, ranksByConfidence else { return [chosen] }
        return readsWithDeepFilter ? [chosen, .off, .deep] : [chosen, .off]
    }

    /// The merged transcript of `legs`. `progress` is told after each clip which leg it was on and how far into
    /// that leg (seconds on the leg's own timeline) the engine has got; a leg read several times counts each reading
    /// as its share of the way.
    /// - Throws: `AudioError` for a leg that cannot be read, `TranscriptionError` from the engine.
    public func transcribe(
        _ legs: [CallRecipe.Leg], progress: (_ leg: Int, _ seconds: Double) -> Void = { _, _ in }
    ) throws -> Transcript {
        // The call's timeline starts with its earliest leg, as the mixed audio does.
        let earliest = legs.map(\.offset).min() ?? 0
        let clips = ClipHandover<LegClip>()
        defer { clips.abandon() }
        Self.startCutting(
            legs, denoise: denoise, ranksByConfidence: engine.ranksByConfidence,
            readsWithDeepFilter: readsWithDeepFilter, longestClip: engine.longestClip, into: clips)
        var readings = [LegReadings](repeating: LegReadings(), count: legs.count)
        let clipsAtOnce = max(1, (engine as? any ConcurrentTranscriber)?.clipsAtOnce ?? 1)
        while case let batch = try clips.take(upTo: clipsAtOnce), !batch.isEmpty {
            let heard = try recognize(batch.map { SpeechClip(start: 0, samples: $0.clip.samples, language: language) })
            for (piece, speech) in zip(batch, heard) {
                let leg = legs[piece.leg]
                let speaker = TranscriptSegment.speakerName(role: leg.role, leg: piece.leg)
                let segments = speech.flatMap { piece.clip.placing($0, offsetBy: leg.offset - earliest) }.map {
                    TranscriptSegment(DigitGroups.apply(to: $0), speaker: speaker, leg: piece.leg)
                }
                readings[piece.leg].add(segments, cleanup: piece.cleanup, legEnd: piece.clip.legEnd)
                progress(piece.leg, readings[piece.leg].progress(readingsInAll: piece.readings))
            }
        }
        let kept = readings.map(\.kept)
        var transcript = Transcript.merging(
            kept.map { $0?.segments ?? [] }, engine: engine.engineName, model: engine.modelName, language: language)
        transcript.cleanup = kept.map { $0?.cleanup ?? denoise ?? .off }
        return transcript
    }

    /// What the engine heard in each of `clips`, in order: side by side when it takes several at once.
    private func recognize(_ clips: [SpeechClip]) throws -> [[RecognizedSpeech]] {
        if clips.count > 1, let concurrent = engine as? any ConcurrentTranscriber {
            return try SideBySide.recognize(clips, by: concurrent)
        }
        return try clips.map(engine.transcribe)
    }

    /// A clip, the leg it was cut from, the clean-up it was cut after and how many readings that leg gets.
    private struct LegClip {
        var leg: Int
        var cleanup: NoiseSuppressor.Level
        var readings: Int
        var clip: JoinedSpeech
    }

    /// Reads `legs` one after the other on a thread of its own, each once per clean-up `readings(of:)` gives,
    /// cut into stretches of speech and joined into clips of up to `longestClip` seconds, which it hands over to
    /// `clips` in order; a leg that cannot be read ends it with its error.
    private static func startCutting(
        _ legs: [CallRecipe.Leg], denoise: NoiseSuppressor.Level?, ranksByConfidence: Bool,
        readsWithDeepFilter: Bool, longestClip: Double, into clips: ClipHandover<LegClip>
    ) {
        struct TakerGone: Error {}
        Thread.detachNewThread {
            do {
                for (index, leg) in legs.enumerated() {
                    let cleanups = try readings(
                        of: leg, denoise: denoise, ranksByConfidence: ranksByConfidence,
                        readsWithDeepFilter: readsWithDeepFilter)
                    for cleanup in cleanups {
                        var clip = JoinedSpeech()
                        func handOver() throws {
                            let piece = LegClip(leg: index, cleanup: cleanup, readings: cleanups.count, clip: clip)
                            guard clips.put(piece) else { throw TakerGone() }
                            clip = JoinedSpeech()
                        }
                        try leg.forEachSpeechSpan(sampleRate: SpeechClip.sampleRate, denoise: cleanup) { span in
                            if !clip.admits(span, within: longestClip) { try handOver() }
                            clip.append(span)
                        }
                        if !clip.isEmpty { try handOver() }
                    }
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

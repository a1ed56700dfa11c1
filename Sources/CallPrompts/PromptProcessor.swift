import AudioCore
import CallAudio
import Foundation

/// Prepares an uploaded or browser-recorded prompt for playout: decoded (WebM/Opus too), mono, rumble filtered,
/// noise suppressed, silence trimmed (speech within 100 ms of the start, 250 ms kept at the end), levelled to
/// the target active speech level with peaks at or below -3 dBFS, and written as every rendition in
/// `PromptRendition.all` plus `prompt.json`.
///
/// Everything is made in a hidden folder inside the output folder and moved into place only once every
/// rendition is written, `prompt.json` last (`StagedOutputs`), so a refused or failed prompt leaves none of them.
public struct PromptProcessor: Sendable {
    public static let reportName = "prompt.json"
    /// The rate the prompt is cleaned and levelled at, the highest of its renditions.
    static let workingRate = 48_000
    /// Less speech than this is no prompt.
    static let minimumSpeechSeconds = 0.5
    /// More of the input than this clipped, and the recording is refused.
    static let maximumClippedShare = 0.01

    /// Asked right before the renditions get their final names: a worker's job that was cancelled (its prompt
    /// deleted) or taken over publishes nothing.
    let cancellation: CancellationFlag

    public init(cancellation: CancellationFlag = CancellationFlag()) {
        self.cancellation = cancellation
    }

    public func run(_ recipe: PromptRecipe) throws -> PromptReport {
        let staged = try StagedOutputs(in: URL(fileURLWithPath: recipe.outputDirectory), marker: Self.reportName)
        let staging = staged.folder

        let clipped = try countClipping(recipe.input)
        guard clipped.clippedShare <= Self.maximumClippedShare else {
            throw AudioError(
                .unusableAudio, path: recipe.input,
                "is badly clipped (\(Self.percent(clipped.clippedShare)) of its samples at full scale): record it "
                    + "again further from the microphone or with the input level lower")
        }
        let cleaned = try clean(recipe, into: staging)
        let master = staging.appendingPathComponent("levelled.wav").path
        let (level, peak, gain, speechShare, duration) = try level(
            cleaned, of: recipe.input, to: recipe.targetLevel, into: master)
        guard duration <= recipe.kind.maximumSeconds else {
            throw AudioError(
                .unusableAudio, path: recipe.input,
                "is \(Self.seconds(duration)) long after trimming silence; a \(recipe.kind.rawValue) is at most "
                    + "\(Self.seconds(recipe.kind.maximumSeconds))")
        }
        var renditions: [PromptRendition] = []
        for var rendition in PromptRendition.all {
            let path = staging.appendingPathComponent(rendition.file).path
            let source = try AudioFiles.decoder(for: master).resampled(to: rendition.sampleRate)
            try source.drain(into: rendition.makeEncoder(path: path))
            rendition.bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            renditions.append(rendition)
        }
        let report = PromptReport(
            input: recipe.input, kind: recipe.kind, duration: duration, activeLevel: level, peakDBFS: peak,
            clippedSamples: clipped.clippedSamples, silenceShare: max(0, 1 - speechShare), gainDB: gain,
            denoise: recipe.enhancement.denoise.rawValue, renditions: renditions)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let reportPath = staging.appendingPathComponent(Self.reportName).path
        do {
            try OutputFile.write(try encoder.encode(report), to: reportPath)
        } catch let error as AudioError {
            throw error
        } catch {
            throw AudioError(.writeFailed, path: reportPath, "cannot be encoded (\(error))")
        }
        try staged.publish(renditions.map(\.file) + [Self.reportName], permission: cancellation)
        return report
    }

    /// The error of an input with too little speech to be a prompt, naming the input (never a staging file).
    private static func noSpeech(in input: String, seconds: Double = 0) -> AudioError {
        AudioError(
            .unusableAudio, path: input,
            "is almost all silence (\(Self.seconds(seconds)) of speech): record the prompt again")
    }

    /// Counts the input's clipped samples before anything else is done with it.
    private func countClipping(_ input: String) throws -> ClipCounter {
        try Self.measure(AudioFiles.decoder(for: input)) { ClipCounter(format: $0) }
    }

    /// Reads `source` to its end through the meter `makeMeter` makes for its format; returns the meter.
    private static func measure<Meter: AudioProcessor>(
        _ source: some AudioSource, with makeMeter: (AudioFormat) -> Meter
    ) throws -> Meter {
        let meter = makeMeter(source.format)
        let metered = source.through(meter)
        while try metered.read() != nil {}
        return meter
    }

    /// The input as one mono 48 kHz leg: high-passed, noise suppressed and trimmed by the call pipeline, not
    /// yet levelled. Returns the cleaned file's path.
    private func clean(_ recipe: PromptRecipe, into staging: URL) throws -> String {
        var enhancement = recipe.enhancement
        enhancement.loudnessTarget = nil
        enhancement.speeds = []
        let call = CallRecipe(
            legs: [CallRecipe.Leg(path: recipe.input, role: recipe.kind.rawValue)], sampleRate: Self.workingRate,
            outputDirectory: staging.path, outputName: "cleaned", encoding: Encoding(container: .wav),
            enhancement: enhancement, trimSilenceKeeping: PromptRecipe.leadingSilence)
        let report = try CallProcessor().run(call)
        guard let cleaned = report.outputs.first?.path else {
            throw AudioError(.encodeFailed, path: recipe.input, "the cleaned prompt was not written")
        }
        guard report.duration > 0 else { throw Self.noSpeech(in: recipe.input) }
        return cleaned
    }

    /// Measures the cleaned prompt's active speech level, then writes it at `target` through a -3 dBFS peak
    /// limit with the trailing silence added. Returns the level and peak reached, the gain, the share of
    /// speech, and the duration written.
    private func level(_ cleaned: String, of input: String, to target: Double, into path: String) throws
        -> (level: Double, peak: Double, gain: Double, speechShare: Double, duration: Double)
    {
        let before = try Self.measure(AudioFiles.decoder(for: cleaned)) { ActiveSpeechLevelMeter(format: $0) }
        let speechSeconds = before.activeSeconds
        guard let active = before.activeLevel, speechSeconds >= Self.minimumSpeechSeconds else {
            throw Self.noSpeech(in: input, seconds: speechSeconds)
        }
        let levelled = try Self.write(AudioFiles.decoder(for: cleaned), measured: active, target: target, to: path)
        return (
            levelled.after.activeLevel ?? target, levelled.peak.peakDBFS, levelled.gainDB,
            levelled.after.activityFactor, levelled.duration
        )
    }

    /// Writes `source`, whose active level is `measured`, brought to `target` (one constant gain) through the
    /// peak limit, with the trailing silence added, metering what is written.
    private static func write(_ source: some AudioSource, measured: Double, target: Double, to path: String) throws
        -> (after: ActiveSpeechLevelMeter, peak: LevelMeter, gainDB: Double, duration: Double)
    {
        let format = source.format
        let gain = LoudnessNormalizer(format: format, measuredLoudness: measured, targetLoudness: target)
        let after = ActiveSpeechLevelMeter(format: format)
        let peak = LevelMeter(format: format)
        let encoder = try SoundFileEncoder(path: path, format: format)
        try source.through(gain)
            .through(Limiter(format: format, ceilingDBFS: PromptRecipe.peakCeiling - 0.5))
            .through(
                TrailingSilence(format: format, seconds: PromptRecipe.trailingSilence - PromptRecipe.leadingSilence)
            )
            .through(after).through(peak)
            .drain(into: encoder)
        return (after, peak, gain.gainDB, encoder.duration)
    }

    static func seconds(_ value: Double) -> String { String(format: "%.1f s", value) }
    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}

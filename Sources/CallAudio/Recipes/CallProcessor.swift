import AudioCore
import Foundation

/// Runs a `CallRecipe`: decodes every leg, aligns and mixes them, limits the peaks, and writes the encoded
/// call and its JSON report in one streaming pass.
public struct CallProcessor: Sendable {
    /// Called as the call is written with the share done (0...1), when the legs' lengths are known.
    public typealias Progress = @Sendable (_ fractionDone: Double) -> Void

    private let progress: Progress?
    private let cancellation: CancellationFlag

    /// `cancellation`, once set, stops the run at the next chunk with `AudioError.Code.cancelled`, before any
    /// output gets its final name.
    public init(progress: Progress? = nil, cancellation: CancellationFlag = CancellationFlag()) {
        self.progress = progress
        self.cancellation = cancellation
    }

    /// Processes the call and returns its report (also written as `<outputName>.json` in the output folder).
    /// Every leg is opened and checked before any output is created. The outputs are made in a staging folder
    /// and published together, the report last, once `cancellation` confirms the run may still publish
    /// (`StagedOutputs`): a failure at any point leaves none of them, and earlier ones stay as they were.
    public func run(_ recipe: CallRecipe) throws -> CallReport {
        var recipe = recipe
        let skippedStreams = try recipe.expandCaptures()
        try validate(recipe)
        let legs = try recipe.legs.map { leg throws(AudioError) in try LegInput(leg, mixRate: recipe.sampleRate) }
        try refuseTooLong(legs, recipe: recipe)
        let destination = URL(fileURLWithPath: recipe.outputDirectory)
        let names = recipe.outputPaths.map { URL(fileURLWithPath: $0).lastPathComponent }
        let reportName = "\(recipe.outputName).json"
        let staged = try StagedOutputs(in: destination, marker: reportName)
        var inStaging = recipe
        inStaging.outputDirectory = staged.folder.path
        var report = try make(inStaging, from: legs).published(in: destination)
        report.skippedStreams = skippedStreams
        try ReportWriter.write(report, to: staged.path(of: reportName))
        try staged.publish(names, permission: cancellation)
        return report
    }

    /// Makes the outputs of the checked `recipe` from its opened `legs` in its output folder, all but the
    /// report, and returns the report.
    private func make(_ recipe: CallRecipe, from legs: [LegInput]) throws -> CallReport {
        let enhancements = try enhance(legs, recipe: recipe)
        let earliest = recipe.legs.map(\.offset).min() ?? 0
        let mixFormat = recipe.mixFormat
        let folder = URL(fileURLWithPath: recipe.outputDirectory)
        let waveformPath = folder.appendingPathComponent("\(recipe.outputName).waveform.json").path
        let samplesPerPixel = recipe.sampleRate / WaveformWriter.pixelsPerSecond
        let spools = try recipe.legs.indices.map { index throws(AudioError) in
            try PeakSpool(beside: waveformPath, purpose: "leg\(index + 1)")
        }
        let mixer = Mixer(
            legs: try zip(legs, enhancements).enumerated().map { index, pair in
                let startFrame = mixFormat.frames(forSeconds: pair.0.leg.offset - earliest)
                let tap = try LegPeakTap(
                    try pair.1.stream.resampled(to: recipe.sampleRate), startFrame: startFrame,
                    samplesPerPixel: samplesPerPixel, spool: spools[index])
                return Mixer.Leg(source: tap.prefetched(), startFrame: startFrame)
            },
            channelCount: mixFormat.channelCount)

        let audioPath = folder.appendingPathComponent("\(recipe.outputName).\(recipe.encoding.container.fileExtension)")
            .path
        var tags = recipe.tags
        if tags.legRoles == nil, recipe.legs.contains(where: { $0.role != nil }) {
            tags.legRoles = recipe.legs.map { $0.role ?? "" }
        }
        let encoder = try recipe.encoding.makeSink(path: audioPath, format: mixFormat, tags: tags)
        let speedCopies = try SpeedCopies(
            speeds: recipe.enhancement.speeds, folder: folder.path, baseName: recipe.outputName, format: mixFormat,
            encoding: recipe.encoding, tags: tags)
        let expectedFrames = expectedLength(of: legs, earliest: earliest, format: mixFormat)
        let limited = try DurationLimit(mixer, maxSeconds: recipe.maxDuration ?? .infinity)
            .through(TruePeakLimiter(format: mixFormat))
        let mixed: any AudioSource =
            recipe.trimSilenceKeeping.map { limited.through(SilenceTrimmer(format: mixFormat, keep: $0)) } ?? limited
        let frames =
            try mixed
            .drain(
                into: CancellableSink(
                    Tee(
                        [
                            ProgressSink(
                                expectedFrames: expectedFrames, progress: progress, downstream: BackgroundSink(encoder))
                        ]
                            + speedCopies.copies.map(\.sink)),
                    flag: cancellation))

        try WaveformWriter.write(
            spools: spools, sampleRate: recipe.sampleRate, samplesPerPixel: samplesPerPixel, to: waveformPath)

        var report = CallReport(
            callID: recipe.tags.callID, duration: mixFormat.seconds(forFrames: frames),
            sampleRate: recipe.sampleRate, layout: recipe.layout,
            legs: zip(legs, enhancements).map { leg, enhancement in
                var report = leg.report(offset: leg.leg.offset - earliest)
                report.enhancement = enhancement.report
                return report
            },
            outputs: [try CallReport.Output(path: audioPath, duration: encoder.duration)] + (try speedCopies.outputs()))
        report.waveform = waveformPath
        return report
    }

    private func validate(_ recipe: CallRecipe) throws(AudioError) {
        guard !recipe.legs.isEmpty else { throw AudioError(.invalidRecipe, "a call needs at least one leg") }
        if recipe.layout == .stereo && recipe.legs.count != 2 {
            throw AudioError(.invalidRecipe, "a stereo layout takes exactly two legs, not \(recipe.legs.count)")
        }
        if let bad = recipe.legs.first(where: { !$0.offset.isFinite || abs($0.offset) > 86_400 }) {
            throw AudioError(.invalidRecipe, path: bad.path, "offset \(bad.offset) s is not a usable start time")
        }
        if let problem = recipe.enhancement.problem(legCount: recipe.legs.count) {
            throw AudioError(.invalidRecipe, problem)
        }
        try InputProtection.refuseOverwriting(inputs: recipe.legs.map(\.path), with: recipe.outputPaths)
    }

    /// Each leg's DSP chain (see `LegEnhancement`) at the leg's own processing rate, after the pass that
    /// measures the legs' loudness.
    private func enhance(_ legs: [LegInput], recipe: CallRecipe) throws -> [LegEnhancement] {
        let settings = recipe.enhancement
        let rates = legs.map(\.stream.format.sampleRate)
        let loudness =
            settings.loudnessTarget == nil
            ? Array(repeating: nil, count: legs.count)
            : try LegEnhancement.measureLoudness(of: recipe.legs, rates: rates)
        return try legs.indices.map { index in
            // With two legs, each one's echo reference is the other, opened once more at this leg's rate.
            let other =
                settings.echoCancellation ? try LegInput(recipe.legs[1 - index], sampleRate: rates[index]) : nil
            return try LegEnhancement(
                legs[index], loudness: loudness[index], echoOf: other, enhancement: settings, rate: rates[index])
        }
    }

    /// Fails before any work when a leg's header (or its offset alone) already puts the call past
    /// `recipe.maxDuration`; legs whose length is unknown are stopped by `DurationLimit` on the mix.
    private func refuseTooLong(_ legs: [LegInput], recipe: CallRecipe) throws(AudioError) {
        guard let maxDuration = recipe.maxDuration else { return }
        let earliest = recipe.legs.map(\.offset).min() ?? 0
        for leg in legs {
            let length = leg.decoder.declaredFrames.map { leg.decoder.format.seconds(forFrames: $0) } ?? 0
            let end = leg.leg.offset - earliest + length
            if end > maxDuration { throw CallRecipe.tooLong(maxSeconds: maxDuration, path: leg.leg.path, seconds: end) }
        }
    }

    /// The output length the legs' headers promise, for progress; nil when a leg's length is unknown.
    private func expectedLength(of legs: [LegInput], earliest: Double, format: AudioFormat) -> Int? {
        var end = 0
        for leg in legs {
            guard let frames = leg.decoder.declaredFrames else { return nil }
            let seconds = leg.leg.offset - earliest + leg.decoder.format.seconds(forFrames: frames)
            end = max(end, format.frames(forSeconds: seconds))
        }
        return end
    }
}

extension CallReport {
    /// The report with its outputs' paths (made in a staging folder) moved to `folder`, where they are published.
    public func published(in folder: URL) -> CallReport {
        func moved(_ path: String) -> String {
            folder.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path
        }
        var report = self
        report.outputs = outputs.map { output in
            var output = output
            output.path = moved(output.path)
            return output
        }
        report.waveform = waveform.map(moved)
        return report
    }
}

extension CallReport.Output {
    /// Describes the finished file at `path`.
    init(path: String, duration: Double) throws(AudioError) {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
            throw AudioError(.writeFailed, path: path, "the finished file is missing")
        }
        self.init(path: path, bytes: size, duration: duration)
    }
}

/// Writes a report as pretty JSON, atomically.
enum ReportWriter {
    static func write<Report: Encodable>(_ report: Report, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(report)
        } catch {
            throw AudioError(.writeFailed, path: path, "cannot encode the report (\(error))")
        }
        try OutputFile.write(data, to: path)
    }
}

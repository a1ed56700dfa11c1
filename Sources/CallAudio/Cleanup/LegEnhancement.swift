import AudioCore
import Foundation

/// The DSP chain of one leg, between its decode and the mix: noise suppression (webrtc's, with echo removal
/// from the other leg when asked, then DeepFilterNet3's for `deep`), the loudness gain, and the meters the report reads, at a rate webrtc processes.
///
/// The loudness gain needs the leg's integrated loudness, known only at its end, so `measureLoudness` first
/// decodes and resamples each leg once more and meters it (libebur128). That pass skips the suppressor, so
/// it costs a decode and a resample of the leg (a small share of the whole; see benchmarks/RESULTS.md, section 2),
/// and it measures the leg as captured: the R128 gates keep the noise between turns out of it, and the
/// suppressor changes speech level by well under 1 dB.
final class LegEnhancement {
    /// The leg, processed, at `rate`.
    let stream: any AudioSource
    private let denoise: NoiseSuppressor.Level
    private let loudnessBefore: Double?
    private let floorBefore: NoiseFloorMeter
    private let suppressor: NoiseSuppressor
    private let loudnessAfter: LoudnessMeter?
    private let floorAfter: NoiseFloorMeter

    /// The rate the legs are processed at before the mix: the mix rate when webrtc takes it, otherwise the
    /// next rate up that it takes (or 48 kHz).
    static func processingRate(forMixRate rate: Int) -> Int {
        WebRTCProcessor.supportedRates.first { $0 >= rate } ?? 48_000
    }

    /// The rate a leg decoded at `legRate` is processed at: its own (or the next rate up webrtc takes), but
    /// never above what the mix needs. An 8 kHz telephone leg is suppressed at 8 kHz and resampled after, at
    /// half the cost of upsampling it first and with no loss (benchmarks/RESULTS.md, "webrtc at the leg's own
    /// rate").
    static func processingRate(forLegRate legRate: Int, mixRate: Int) -> Int {
        min(processingRate(forMixRate: legRate), processingRate(forMixRate: mixRate))
    }

    /// - Parameters:
    ///   - leg: the leg, opened at `rate`.
    ///   - loudness: its integrated loudness from the measuring pass (nil when silent or not levelled).
    ///   - echoOf: the other leg, when its echo is to be removed from this one.
    init(
        _ leg: LegInput, loudness: Double?, echoOf other: LegInput?, enhancement: Enhancement, rate: Int
    ) throws {
        let format = AudioFormat.mono(rate)
        denoise = enhancement.denoise
        loudnessBefore = loudness
        floorBefore = NoiseFloorMeter(format: format)
        suppressor = try NoiseSuppressor(
            format: format, level: enhancement.denoise, highPassFilter: enhancement.highPassFilter,
            echoReference: other.map { EchoReference($0.stream, lead: leg.leg.offset - $0.leg.offset) })
        floorAfter = NoiseFloorMeter(format: format)
        var stages: [any AudioProcessor] = [floorBefore, suppressor]
        if enhancement.denoise == .deep {
            stages.append(try DeepNoiseSuppressor(format: format, attenuationLimit: enhancement.denoiseLimit))
        }
        if let target = enhancement.loudnessTarget {
            let meter = try LoudnessMeter(format: format)
            loudnessAfter = meter
            stages += [LoudnessNormalizer(format: format, measuredLoudness: loudness, targetLoudness: target), meter]
        } else {
            loudnessAfter = nil
        }
        stages.append(floorAfter)
        var stream = leg.stream
        for stage in stages { stream = Self.chain(stream, stage) }
        self.stream = stream
    }

    /// `source.through(processor)` for sources and processors known only by their protocols.
    private static func chain(_ source: some AudioSource, _ processor: some AudioProcessor) -> any AudioSource {
        source.through(processor)
    }

    /// What the chain measured, once the leg has been read to its end.
    var report: CallReport.LegEnhancement {
        CallReport.LegEnhancement(
            loudnessBeforeLUFS: loudnessBefore, loudnessAfterLUFS: loudnessAfter?.integratedLoudness,
            noiseFloorBeforeDBFS: floorBefore.noiseFloorDBFS, noiseFloorAfterDBFS: floorAfter.noiseFloorDBFS,
            speechShare: suppressor.speechShare, denoise: denoise)
    }

    /// Measures the integrated loudness of every leg, each at its rate in `rates`, the legs in parallel (one
    /// thread each).
    static func measureLoudness(of legs: [CallRecipe.Leg], rates: [Int]) throws -> [Double?] {
        let results = MeasuredLoudness(count: legs.count)
        DispatchQueue.concurrentPerform(iterations: legs.count) { index in
            results.set(
                index, Result { try LoudnessMeter.measure(LegInput(legs[index], sampleRate: rates[index]).stream) })
        }
        return try results.values()
    }
}

/// The loudness of each leg, filled in from several threads.
private final class MeasuredLoudness: @unchecked Sendable {
    // Guarded by `lock`, which is what makes sharing it safe.
    private let lock = NSLock()
    private var results: [Result<Double?, any Error>]

    init(count: Int) { results = Array(repeating: .success(nil), count: count) }

    func set(_ index: Int, _ result: Result<Double?, any Error>) {
        lock.withLock { results[index] = result }
    }

    func values() throws -> [Double?] { try lock.withLock { try results.map { try $0.get() } } }
}

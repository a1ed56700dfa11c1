import AudioCore

/// One leg of a call opened for mixing: its decoder, the mono stream at the mix rate, and its level meter.
final class LegInput {
    let leg: CallRecipe.Leg
    let decoder: FileDecoder
    let meter: LevelMeter
    /// Mono at the rate it was opened at, metered at the file's own rate before resampling.
    let stream: any AudioSource

    /// Opens and validates the leg's file, its stream at `sampleRate`; throws before any output exists when
    /// the file is unusable.
    convenience init(_ leg: CallRecipe.Leg, sampleRate: Int) throws(AudioError) {
        try self.init(
            leg, decoder: FileDecoder(path: leg.path, preferredSampleRate: sampleRate), sampleRate: sampleRate)
    }

    /// Opens the leg at the rate its clean-up runs at for a mix at `mixRate` (see
    /// `LegEnhancement.processingRate(forLegRate:mixRate:)`): an 8 kHz telephone leg stays at 8 kHz.
    convenience init(_ leg: CallRecipe.Leg, mixRate: Int) throws(AudioError) {
        let ceiling = LegEnhancement.processingRate(forMixRate: mixRate)
        let decoder = try FileDecoder(path: leg.path, preferredSampleRate: ceiling)
        try self.init(
            leg, decoder: decoder,
            sampleRate: LegEnhancement.processingRate(forLegRate: decoder.format.sampleRate, mixRate: mixRate))
    }

    private init(_ leg: CallRecipe.Leg, decoder: FileDecoder, sampleRate: Int) throws(AudioError) {
        if let channel = leg.channel, channel >= decoder.format.channelCount {
            throw AudioError(
                .invalidRecipe, path: leg.path,
                "has \(decoder.format.channelCount) channel(s), so channel \(channel + 1) cannot be a leg")
        }
        let mono = ChannelMixdown(
            inputFormat: decoder.format, selection: leg.channel.map { .channel($0) } ?? .average)
        let meter = LevelMeter(format: mono.outputFormat)
        self.leg = leg
        self.decoder = decoder
        self.meter = meter
        self.stream = try decoder.through(mono).through(meter).resampled(to: sampleRate)
    }

    func report(offset: Double) -> CallReport.Leg {
        CallReport.Leg(
            path: leg.path, role: leg.role, format: decoder.formatName, sampleRate: decoder.fileSampleRate,
            channels: decoder.format.channelCount, channel: leg.channel, duration: decoder.decodedDuration,
            offset: offset, peakDBFS: meter.peakDBFS, rmsDBFS: meter.rmsDBFS,
            completeness: decoder.isPartial ? .partial : .whole)
    }
}

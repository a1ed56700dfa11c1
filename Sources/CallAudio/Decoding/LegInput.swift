import AudioCore

/// One leg of a call opened for mixing: its decoder, the mono stream at the mix rate, and its level meter.
final class LegInput {
    let leg: CallRecipe.Leg
    let decoder: FileDecoder
    let meter: LevelMeter
    /// Mono at the mix rate, metered at the file's own rate before resampling.
    let stream: any AudioSource

    /// Opens and validates the leg's file; throws before any output exists when the file is unusable.
    init(_ leg: CallRecipe.Leg, sampleRate: Int) throws(AudioError) {
        let decoder = try FileDecoder(path: leg.path, preferredSampleRate: sampleRate)
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
            completeness: decoder.isPartial ? .partial : .whole, repairedSamples: decoder.repairedSamples)
    }
}

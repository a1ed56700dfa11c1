import AudioCore

/// One leg of a call opened for mixing: its decoder, the mono stream at the mix rate, and its level meter.
final class LegInput {
    let leg: CallRecipe.Leg
    let decoder: any LegDecoder
    let meter: LevelMeter
    /// Mono at the rate it was opened at, metered at the file's own rate before resampling.
    let stream: any AudioSource

    /// Opens and validates the leg (a file, or one RTP stream of a capture), its stream at `sampleRate`;
    /// throws before any output exists when the leg is unusable.
    convenience init(_ leg: CallRecipe.Leg, sampleRate: Int) throws(AudioError) {
        if let captured = leg.capturedStream {
            try self.init(
                leg, capture: CapturedLegDecoder(path: leg.path, stream: captured, preferredRate: sampleRate),
                sampleRate: sampleRate)
        } else {
            try self.init(
                leg, decoder: Self.openFile(leg.path, preferredSampleRate: sampleRate), sampleRate: sampleRate)
        }
    }

    /// Opens the leg at the rate its clean-up runs at for a mix at `mixRate` (see
    /// `LegEnhancement.processingRate(forLegRate:mixRate:)`): an 8 kHz telephone leg stays at 8 kHz.
    convenience init(_ leg: CallRecipe.Leg, mixRate: Int) throws(AudioError) {
        let ceiling = LegEnhancement.processingRate(forMixRate: mixRate)
        if let captured = leg.capturedStream {
            let decoder = try CapturedLegDecoder(path: leg.path, stream: captured, preferredRate: ceiling)
            try self.init(
                leg, capture: decoder,
                sampleRate: LegEnhancement.processingRate(forLegRate: decoder.format.sampleRate, mixRate: mixRate))
        } else {
            let decoder = try Self.openFile(leg.path, preferredSampleRate: ceiling)
            try self.init(
                leg, decoder: decoder,
                sampleRate: LegEnhancement.processingRate(forLegRate: decoder.format.sampleRate, mixRate: mixRate))
        }
    }

    /// A captured RTP stream, resampled to `sampleRate` with its measured clock drift taken out.
    private init(_ leg: CallRecipe.Leg, capture decoder: CapturedLegDecoder, sampleRate: Int) throws(AudioError) {
        let meter = LevelMeter(format: decoder.format)
        let codecRate = Double(decoder.format.sampleRate)
        // A sender whose clock runs fast sent more samples per second of capture time than its rate says.
        let actualRate = codecRate * (1 + (leg.capturedStream?.driftPPM ?? 0) / 1e6)
        self.leg = leg
        self.decoder = decoder
        self.meter = meter
        self.stream =
            abs(actualRate - codecRate) < codecRate * Self.negligibleDrift && decoder.format.sampleRate == sampleRate
            ? decoder.through(meter)
            : decoder.through(meter).through(
                try Resampler(from: decoder.format, actualRate: actualRate, toSampleRate: sampleRate))
    }

    /// The decoder for a leg's file: WebM (Opus, as browsers record) by libwebm and libopus, MP4/M4A (AAC, as
    /// iPhones and Safari record) by FFmpeg, everything else by libsndfile.
    static func openFile(_ path: String, preferredSampleRate: Int?) throws(AudioError) -> any LegDecoder {
        if WebMOpusDecoder.recognizes(path) {
            return try WebMOpusDecoder(path: path, preferredSampleRate: preferredSampleRate)
        }
        if MP4AACDecoder.recognizes(path) { return try MP4AACDecoder(path: path) }
        return try FileDecoder(path: path, preferredSampleRate: preferredSampleRate)
    }

    private init(_ leg: CallRecipe.Leg, decoder: some LegDecoder, sampleRate: Int) throws(AudioError) {
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

    /// Drift below 2 ppm (7 ms in an hour) is left alone.
    static let negligibleDrift = 2e-6

    func report(offset: Double) -> CallReport.Leg {
        var report = CallReport.Leg(
            path: leg.path, role: leg.role, format: decoder.formatName, sampleRate: decoder.fileSampleRate,
            channels: decoder.format.channelCount, channel: leg.channel, duration: decoder.decodedDuration,
            offset: offset, peakDBFS: meter.peakDBFS, rmsDBFS: meter.rmsDBFS,
            completeness: decoder.isPartial ? .partial : .whole, repairedSamples: decoder.repairedSamples)
        report.capture = (decoder as? CapturedLegDecoder)?.report(offset: offset)
        return report
    }
}

/// What the mixer and the report need from a leg's decoder, whether it reads a file or a captured RTP stream.
protocol LegDecoder: AudioSource {
    /// The container and encoding, e.g. "WAV (Microsoft) / U-Law" or "RTP PCMA/8000".
    var formatName: String { get }
    /// The rate the leg itself is stored or sent at.
    var fileSampleRate: Int { get }
    /// Frames the input promises, when it says.
    var declaredFrames: Int? { get }
    var decodedDuration: Double { get }
    /// True when the input ended early or lost audio; only meaningful once the stream has ended.
    var isPartial: Bool { get }
    /// Samples that were not finite or beyond full scale, repaired by `SampleSanitizer`.
    var repairedSamples: Int { get }
}

extension FileDecoder: LegDecoder {}

extension WebMOpusDecoder: LegDecoder {
    var declaredFrames: Int? { nil }
    var decodedDuration: Double { format.seconds(forFrames: decodedFrames) }
    var isPartial: Bool { isTruncated }
}

extension MP4AACDecoder: LegDecoder {}

extension CapturedLegDecoder: LegDecoder {
    var formatName: String { "RTP \(stream.codec)" }
    var fileSampleRate: Int { format.sampleRate }
    var declaredFrames: Int? { nil }
    var decodedDuration: Double { format.seconds(forFrames: decodedFrames) }
    var isPartial: Bool { isTruncated || statistics.lost > 0 }

    /// The leg's packets, codec and DTMF digits for the report; digit times counted from the output's start.
    func report(offset: Double) -> CallReport.CapturedLeg {
        let counts = statistics
        return CallReport.CapturedLeg(
            source: stream.source, destination: stream.destination, ssrcs: counts.ssrcs,
            payloadType: stream.payloadType, codec: stream.codec.description, codecChoice: stream.codecChoice,
            packets: counts.packets, lost: counts.lost, duplicated: counts.duplicated, reordered: counts.reordered,
            late: counts.late,
            dtmf: digits.map { CallReport.DTMFDigit(digit: $0.digit, time: $0.time + offset, duration: $0.duration) },
            silenceSuppressionGaps: silenceGaps, driftPPM: stream.driftPPM,
            timestampJumps: counts.timestampJumps > 0 ? counts.timestampJumps : nil)
    }
}

/// Opening audio files for stages outside the call pipeline (prompts, tools).
public enum AudioFiles {
    /// The decoder for the file at `path`: WebM/Opus by libwebm and libopus, MP4/M4A (AAC) by FFmpeg,
    /// everything else by libsndfile;
    /// Opus decodes at `preferredSampleRate` when it can.
    public static func decoder(for path: String, preferredSampleRate: Int? = nil) throws(AudioError) -> any AudioSource
    {
        try LegInput.openFile(path, preferredSampleRate: preferredSampleRate)
    }

    /// How long the file at `path` says it lasts, from its header alone; nil when it does not say (a stream, a
    /// packet capture) or cannot be opened.
    public static func declaredDuration(of path: String) -> Double? {
        guard let decoder = try? LegInput.openFile(path, preferredSampleRate: nil),
            let frames = decoder.declaredFrames
        else { return nil }
        return decoder.format.seconds(forFrames: frames)
    }

    /// The decoders of the decodable legs of the packet capture at `path` (pcap or pcapng), in the order
    /// `process` takes them, each decoding at `preferredSampleRate` where its codec can: for tools that look at
    /// a capture's legs one by one (the fuzz target of the capture parser).
    /// - Throws: `AudioError` when the capture is unreadable or holds nothing decodable.
    public static func capturedLegDecoders(for path: String, preferredSampleRate: Int = 16_000) throws(AudioError)
        -> [any AudioSource]
    {
        var decoders: [any AudioSource] = []
        for leg in try CapturedCall(path: path).legs {
            guard let stream = leg.capturedStream else { continue }
            decoders.append(try CapturedLegDecoder(path: path, stream: stream, preferredRate: preferredSampleRate))
        }
        return decoders
    }
}

import AudioCore
import Foundation

/// Runs an `EncodeRecipe`: decodes one file and writes it in another container, atomically.
///
/// Mono and stereo keep their layout; more channels are mixed down to mono. The rate is the recipe's, or else
/// the input's where the container can store it (see `outputRate`).
public struct FileEncoder: Sendable {
    private let cancellation: CancellationFlag

    /// `cancellation`, once set, stops the run at the next chunk, and it is asked before the output gets its
    /// final name.
    public init(cancellation: CancellationFlag = CancellationFlag()) { self.cancellation = cancellation }

    public func run(_ recipe: EncodeRecipe) throws -> EncodeResult {
        try InputProtection.refuseOverwriting(inputs: [recipe.input], with: [recipe.output])
        let decoder = try FileDecoder(path: recipe.input)
        var stream: any AudioSource = decoder
        if decoder.format.channelCount > 2 {
            stream = decoder.through(ChannelMixdown(inputFormat: decoder.format, selection: .average))
        }
        stream = try stream.resampled(
            to: outputRate(for: decoder.format.sampleRate, channelCount: stream.format.channelCount, recipe: recipe))
        let final = URL(fileURLWithPath: recipe.output)
        let staged = try StagedOutputs(in: final.deletingLastPathComponent(), marker: final.lastPathComponent)
        let made = staged.path(of: final.lastPathComponent)
        let encoder = try recipe.encoding.makeSink(path: made, format: stream.format, tags: recipe.tags)
        try stream.drain(into: CancellableSink(encoder, flag: cancellation))
        let output = try CallReport.Output(path: made, duration: encoder.duration)
        try staged.publish([final.lastPathComponent], permission: cancellation)
        return EncodeResult(
            input: recipe.input, output: recipe.output, duration: output.duration, bytes: output.bytes,
            completeness: decoder.isPartial ? .partial : .whole)
    }

    /// The recipe's rate, or else the input's, moved where MP3 needs it: to a rate MP3 defines, and for
    /// voice bit rates below what the high rates can carry seek-exactly, down to 16 kHz.
    private func outputRate(for inputRate: Int, channelCount: Int, recipe: EncodeRecipe) -> Int {
        if let rate = recipe.sampleRate { return rate }
        guard recipe.encoding.container == .mp3 else { return inputRate }
        let nearest = MP3Encoder.sampleRates.min { abs($0 - inputRate) < abs($1 - inputRate) } ?? 16_000
        let kbps = recipe.encoding.bitrate ?? Encoding.defaultBitrate(channelCount: channelCount)
        let constant = recipe.encoding.vbrQuality == nil
        if constant && !MP3Encoder.canHoldInfoFrame(sampleRate: nearest, constantKbps: kbps) { return 16_000 }
        return nearest
    }
}

import AudioCore
import Foundation

/// Runs an `EncodeRecipe`: decodes one file and writes it in another container, atomically.
///
/// Mono and stereo keep their layout; more channels are mixed down to mono. A packet capture is read as the
/// call it holds (`CapturedCallMix`). The rate is the recipe's, or else the input's where the container can
/// store it (see `outputRate`).
public struct FileEncoder: Sendable {
    private let cancellation: CancellationFlag

    /// `cancellation`, once set, stops the run at the next chunk, and it is asked before the output gets its
    /// final name.
    public init(cancellation: CancellationFlag = CancellationFlag()) { self.cancellation = cancellation }

    public func run(_ recipe: EncodeRecipe) throws -> EncodeResult {
        try InputProtection.refuseOverwriting(inputs: [recipe.input], with: [recipe.output])
        let input = try EncoderInput(path: recipe.input)
        let stream = try input.stream.resampled(
            to: outputRate(
                for: input.stream.format.sampleRate, channelCount: input.stream.format.channelCount,
                recipe: recipe))
        let final = URL(fileURLWithPath: recipe.output)
        let staged = try StagedOutputs(in: final.deletingLastPathComponent(), marker: final.lastPathComponent)
        let made = staged.path(of: final.lastPathComponent)
        let encoder = try recipe.encoding.makeSink(path: made, format: stream.format, tags: recipe.tags)
        try stream.drain(into: CancellableSink(encoder, flag: cancellation))
        let output = try CallReport.Output(path: made, duration: encoder.duration)
        try staged.publish([final.lastPathComponent], permission: cancellation)
        return EncodeResult(
            input: recipe.input, output: recipe.output, duration: output.duration, bytes: output.bytes,
            completeness: input.isPartial ? .partial : .whole)
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

/// What `FileEncoder` reads: an audio file (more than two channels mixed down to mono), or a packet capture's
/// call.
private enum EncoderInput {
    case file(any LegDecoder, stream: any AudioSource)
    case capture(CapturedCallMix)

    init(path: String) throws(AudioError) {
        if CapturedCall.isCapture(path) {
            self = .capture(try CapturedCallMix(path: path))
            return
        }
        let decoder = try LegInput.openFile(path, preferredSampleRate: nil)
        guard decoder.format.channelCount > 2 else {
            self = .file(decoder, stream: decoder)
            return
        }
        self = .file(decoder, stream: Self.averaged(decoder))
    }

    /// `source` with its channels averaged into one.
    private static func averaged(_ source: some AudioSource) -> any AudioSource {
        source.through(ChannelMixdown(inputFormat: source.format, selection: .average))
    }

    var stream: any AudioSource {
        switch self {
        case .file(_, let stream): stream
        case .capture(let call): call.stream
        }
    }

    /// True once the input turned out to end early; known when the stream is drained.
    var isPartial: Bool {
        switch self {
        case .file(let decoder, _): decoder.isPartial
        case .capture(let call): call.isPartial
        }
    }
}

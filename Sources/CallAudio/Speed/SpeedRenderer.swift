import AudioCore
import Foundation

/// Renders one recording at another speed, pitch kept: decode, `TempoChanger`, encode, in one streaming
/// pass. The container follows the output's extension (`.mp3` or `.wav`).
public struct SpeedRenderer: Sendable {
    public init() {}

    /// Writes `input` played at `speed` to `output` and describes the finished file.
    public func run(input: String, speed: Double, output: String, encoding: Encoding = Encoding()) throws
        -> CallReport.Output
    {
        var source: any AudioSource = try LegInput.openFile(input, preferredSampleRate: nil)
        // MP3 stores only its own rates; anything else goes to the nearest higher one (or 48 kHz).
        if encoding.container == .mp3 && !MP3Encoder.sampleRates.contains(source.format.sampleRate) {
            let rate = MP3Encoder.sampleRates.sorted().first { $0 >= source.format.sampleRate } ?? 48_000
            source = try source.resampled(to: rate)
        }
        let encoder = try encoding.makeSink(path: output, format: source.format, tags: Tags())
        try Self.render(source, TempoChanger(format: source.format, speed: speed), into: encoder)
        return try CallReport.Output(path: output, duration: encoder.duration)
    }

    private static func render(_ source: some AudioSource, _ changer: TempoChanger, into sink: some AudioSink) throws {
        try source.through(changer).drain(into: sink)
    }
}

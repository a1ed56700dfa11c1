import ArgumentParser
import CallAudio
import Foundation

extension CallRecipe.Layout: ExpressibleByArgument {}

/// The flags that describe one call: shared by `process` (run it now) and `submit` (queue it).
public struct ProcessOptions: ParsableArguments {
    public init() {}

    @Argument(
        help: """
            The call's legs, in order (leg 1, leg 2, ...): files in any format libsndfile reads, or a packet \
            capture (pcap/pcapng) of the call, which becomes one leg per RTP stream.
            """)
    public var legs: [String]

    @Option(help: "The folder that receives call.mp3 (or call.wav) and call.json; created when missing.")
    public var output: String

    @Option(
        name: .customLong("offset"),
        help: ArgumentHelp(
            "When leg N starts, in seconds after leg 1 (N=SECONDS, repeatable; negative starts earlier).",
            valueName: "N=SECONDS"))
    public var offsets: [LegOffset] = []

    @Option(help: "mono: all legs summed with headroom and a limiter. stereo: leg 1 left, leg 2 right.")
    public var layout: CallRecipe.Layout = .mono

    @Flag(help: "Treat each stereo input as two legs (left, right): a dual-channel recording.")
    public var splitChannels = false

    @Option(help: "Output sample rate in Hz (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000).")
    public var sampleRate = 16_000

    @OptionGroup public var codec: EncodingOptions

    @Option(help: "The call's id in the phone system, written into the tags and the report.")
    public var callID: String?

    @Option(help: "Who speaks on each leg, in leg order, comma-separated (e.g. caller,agent).")
    public var roles: String?

    @Option(help: "Title tag of the output.") public var title: String?
    @Option(help: "Artist tag of the output (e.g. the line or team).") public var artist: String?
    @Option(help: "Date tag of the output (ISO 8601, e.g. 2026-11-21).") public var date: String?
    @Option(help: "Comment tag of the output.") public var comment: String?

    @OptionGroup(title: "Clean-up, loudness and speed copies") public var enhancement: EnhancementOptions

    public func validate() throws {
        if legs.isEmpty { throw ValidationError("Give at least one leg file.") }
        if output.isEmpty { throw ValidationError("--output must name a folder, not be empty.") }
        for offset in offsets {
            try OptionRange.check(offset.seconds, in: -86_400...86_400, flag: "--offset \(offset.leg)=...", unit: " s")
        }
        let supported = [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000]
        if !supported.contains(sampleRate) {
            throw ValidationError("--sample-rate must be one of \(supported.map(String.init).joined(separator: ", ")).")
        }
        try codec.validateSeekExact(sampleRate: sampleRate, channelCount: layout == .stereo ? 2 : 1)
        let legCount = splitChannels ? legs.count * 2 : legs.count
        for offset in offsets where !(1...legCount).contains(offset.leg) {
            throw ValidationError(
                "--offset \(offset.leg)=...: there is no leg \(offset.leg) (legs are 1 to \(legCount)).")
        }
        // A packet capture becomes as many legs as it holds RTP streams: the recipe runner checks those.
        let hasCapture = makeRecipe().legs.contains(where: \.isWholeCapture)
        if layout == .stereo && legCount != 2 && !hasCapture {
            throw ValidationError(
                "--layout stereo takes exactly two legs (got \(legCount)); use mono for a conference.")
        }
        if !hasCapture { try enhancement.validate(legCount: legCount) }
    }

    /// The recipe these flags describe for a recording made for `use` (its default clean-up). Paths are made
    /// absolute so the recipe runs anywhere.
    public func makeRecipe(for use: Enhancement.Use = .call) -> CallRecipe {
        let recipeLegs = Self.makeLegs(files: legs, splitChannels: splitChannels, offsets: offsets, roles: roles)
        return CallRecipe(
            legs: recipeLegs, layout: layout, sampleRate: sampleRate,
            outputDirectory: URL(fileURLWithPath: output).standardizedFileURL.path,
            encoding: codec.encoding,
            tags: Tags(title: title, artist: artist, date: date, comment: comment, callID: callID),
            enhancement: enhancement.enhancement(for: use))
    }
}

extension ProcessOptions {
    /// The recipe legs of `files` (made absolute), two per file with `splitChannels`, with their offsets and
    /// comma-separated roles: shared by every command that takes legs.
    public static func makeLegs(files: [String], splitChannels: Bool, offsets: [LegOffset], roles: String?)
        -> [CallRecipe.Leg]
    {
        let paths = files.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let sources: [(path: String, channel: Int?)] =
            splitChannels ? paths.flatMap { [($0, 0), ($0, 1)] } : paths.map { ($0, nil) }
        let roleNames = roles?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        return sources.enumerated().map { index, source in
            CallRecipe.Leg(
                path: source.path,
                offset: offsets.last { $0.leg == index + 1 }?.seconds ?? 0,
                channel: source.channel,
                role: index < roleNames.count ? roleNames[index] : nil)
        }
    }
}

/// `N=SECONDS`: leg N (1-based) starts SECONDS after leg 1.
public struct LegOffset: ExpressibleByArgument {
    public var leg: Int
    public var seconds: Double

    public init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let leg = Int(parts[0]), let seconds = Double(parts[1]), seconds.isFinite else {
            return nil
        }
        self.leg = leg
        self.seconds = seconds
    }
}

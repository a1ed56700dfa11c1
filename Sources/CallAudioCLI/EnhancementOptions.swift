import ArgumentParser
import CallAudio
import Foundation

extension NoiseSuppressor.Level: ExpressibleByArgument {}

/// The flags for noise suppression, echo removal, loudness and speed copies: part of `ProcessOptions`.
public struct EnhancementOptions: ParsableArguments {
    public init() {}

    @Option(
        help: """
            Noise suppression per leg before the mix: webrtc's off, low, moderate, high or veryhigh, or deep \
            (DeepFilterNet3: clearer speech, far slower; install it with scripts/install-deepfilter.sh). \
            Default: moderate for calls; deep for voicemail where it is installed, else moderate with a notice.
            """)
    public var denoise: NoiseSuppressor.Level?

    @Option(
        help: ArgumentHelp(
            "With --denoise deep, the most DeepFilterNet3 lowers the noise, 1 to 100 dB (100: no limit).",
            valueName: "DB"))
    public var denoiseLimit: Double = DeepNoiseSuppressor.defaultAttenuationLimit

    @Flag(inversion: .prefixedNo, help: "Remove DC and rumble below ~80 Hz from every leg.")
    public var highPass = true

    @Flag(
        help: """
            Remove from each of two legs the echo of the other (a speakerphone that let the far end leak back \
            into its microphone), with the other leg, aligned by the offsets, as the reference.
            """)
    public var echoCancel = false

    @Option(
        help: ArgumentHelp(
            "Bring each leg to this integrated loudness (EBU R128, gated) before the mix (write --loudness=-16), or off.",
            valueName: "LUFS|off"))
    public var loudness: LoudnessTarget = LoudnessTarget(lufs: Enhancement.defaultLoudnessTarget)

    @Option(
        help: ArgumentHelp(
            "Also write copies at these speeds, pitch kept (0.25 to 4): 1.5 writes DIR/call-1.5x.mp3.",
            valueName: "S1,S2,..."))
    public var speeds: SpeedList = SpeedList(values: [])

    /// Checks the flags against a call of `legCount` legs (echo cancellation takes two).
    public func validate(legCount: Int) throws {
        if let problem = flags(denoise: denoise ?? .moderate).problem(legCount: legCount) {
            throw ValidationError("\(problem.prefix(1).uppercased())\(problem.dropFirst()).")
        }
    }

    /// The clean-up these flags describe for a recording made for `use`. Without `--denoise`, the denoiser
    /// `Enhancement.recommended(for:)` names, as this machine can run it: where that is DeepFilterNet3 and it is
    /// not installed, webrtc moderate, with a one-line notice on standard error.
    public func enhancement(for use: Enhancement.Use) -> Enhancement {
        if let denoise { return flags(denoise: denoise) }
        let (recommended, notice) = Enhancement.recommendedHere(for: use)
        if let notice { writeErrorLine("\(notice)") }
        return flags(denoise: recommended.denoise)
    }

    private func flags(denoise: NoiseSuppressor.Level) -> Enhancement {
        Enhancement(
            denoise: denoise, denoiseLimit: denoiseLimit, highPassFilter: highPass, echoCancellation: echoCancel,
            loudnessTarget: loudness.lufs, speeds: speeds.values)
    }
}

/// `-19` or `off`.
public struct LoudnessTarget: ExpressibleByArgument {
    public var lufs: Double?

    public init(lufs: Double?) { self.lufs = lufs }

    public init?(argument: String) {
        if argument == "off" {
            lufs = nil
        } else if let value = Double(argument), value.isFinite {
            lufs = value
        } else {
            return nil
        }
    }

    public var defaultValueDescription: String { lufs.map { "\($0)" } ?? "off" }
}

/// `0.5,1.5,2`.
public struct SpeedList: ExpressibleByArgument {
    public var values: [Double]

    public init(values: [Double]) { self.values = values }

    public init?(argument: String) {
        let parsed = argument.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0?.isFinite == true }) else { return nil }
        values = parsed.compactMap { $0 }
    }

    public var defaultValueDescription: String {
        values.isEmpty ? "none" : values.map { "\($0)" }.joined(separator: ",")
    }
}

/// How a call's legs are cleaned up and levelled before the mix, and which speed copies are made: the part
/// of a `CallRecipe` that the DSP stages read.
///
/// Every field has a default, and a recipe written before these fields existed decodes with them, so queued
/// jobs keep running across upgrades.
public struct Enhancement: Codable, Sendable, Hashable {
    /// Noise suppression strength for every leg (`off` still filters rumble and measures speech).
    public var denoise: NoiseSuppressor.Level
    /// With `denoise` `deep`, the most DeepFilterNet3 lowers anything, in dB (1 to 100, 100 meaning no limit).
    public var denoiseLimit: Double
    /// Removes DC and rumble below ~80 Hz from every leg.
    public var highPassFilter: Bool
    /// In a two-leg call, removes from each leg the echo of the other (a speakerphone that let the far end
    /// leak back into its microphone), using the other leg, time-aligned, as the reference.
    public var echoCancellation: Bool
    /// The integrated loudness (LUFS, EBU R128) each leg is brought to before the mix; nil leaves levels as
    /// they are.
    public var loudnessTarget: Double?
    /// Speeds of the extra copies (1.5 writes `call-1.5x.mp3` next to `call.mp3`), each 0.25 to 4.
    public var speeds: [Double]

    /// The plain mix: no suppression, no filter, no levelling, no copies. Steady tones (test signals, hold
    /// music, DTMF) survive it; webrtc's suppressor treats a sustained tone as noise.
    public static let off = Enhancement(denoise: .off, highPassFilter: false, loudnessTarget: nil)

    /// The loudness target when none is given: -19 LUFS, the usual level for spoken-word audio.
    public static let defaultLoudnessTarget = -19.0

    public init(
        denoise: NoiseSuppressor.Level = .moderate,
        denoiseLimit: Double = DeepNoiseSuppressor.defaultAttenuationLimit, highPassFilter: Bool = true,
        echoCancellation: Bool = false, loudnessTarget: Double? = Enhancement.defaultLoudnessTarget,
        speeds: [Double] = []
    ) {
        self.denoise = denoise
        self.denoiseLimit = denoiseLimit
        self.highPassFilter = highPassFilter
        self.echoCancellation = echoCancellation
        self.loudnessTarget = loudnessTarget
        self.speeds = speeds
    }

    private enum CodingKeys: String, CodingKey {
        case denoise, denoiseLimit, highPassFilter, echoCancellation, loudnessTarget, speeds
    }

    /// Decodes absent fields as their defaults; `"loudnessTarget": null` means loudness levelling is off.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Enhancement()
        denoise = try container.decodeIfPresent(NoiseSuppressor.Level.self, forKey: .denoise) ?? defaults.denoise
        denoiseLimit = try container.decodeIfPresent(Double.self, forKey: .denoiseLimit) ?? defaults.denoiseLimit
        highPassFilter = try container.decodeIfPresent(Bool.self, forKey: .highPassFilter) ?? defaults.highPassFilter
        echoCancellation =
            try container.decodeIfPresent(Bool.self, forKey: .echoCancellation) ?? defaults.echoCancellation
        loudnessTarget =
            container.contains(.loudnessTarget)
            ? try container.decodeIfPresent(Double.self, forKey: .loudnessTarget) : defaults.loudnessTarget
        speeds = try container.decodeIfPresent([Double].self, forKey: .speeds) ?? defaults.speeds
    }

    /// Writes every field, an absent loudness target as an explicit null, so it reads back as "off".
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(denoise, forKey: .denoise)
        try container.encode(denoiseLimit, forKey: .denoiseLimit)
        try container.encode(highPassFilter, forKey: .highPassFilter)
        try container.encode(echoCancellation, forKey: .echoCancellation)
        try container.encode(loudnessTarget, forKey: .loudnessTarget)
        try container.encode(speeds, forKey: .speeds)
    }

    /// What makes these settings unusable for a call of `legCount` legs, as one sentence; nil when they are
    /// fine. Without a leg count (a command line checking its flags), only the settings themselves are checked.
    public func problem(legCount: Int? = nil) -> String? {
        if let bad = speeds.first(where: { !TempoChanger.speedRange.contains($0) }) {
            return "speed \(bad) is outside 0.25 to 4"
        }
        if Set(speeds).count != speeds.count { return "each speed copy may be asked for once" }
        if let target = loudnessTarget, !(-70.0...0).contains(target) {
            return "loudness target \(target) LUFS is outside -70 to 0"
        }
        if !DeepNoiseSuppressor.attenuationLimitRange.contains(denoiseLimit) {
            return "denoise limit \(denoiseLimit) dB is outside 1 to 100"
        }
        if echoCancellation, let legCount, legCount != 2 {
            return "echo cancellation takes a call of exactly two legs"
        }
        return nil
    }

    /// The file name suffix of the copy at `speed`: "-1.5x", "-2x".
    public static func suffix(forSpeed speed: Double) -> String {
        let formatted = speed == speed.rounded() ? String(Int(speed)) : String(speed)
        return "-\(formatted)x"
    }
}

extension KeyedDecodingContainer {
    /// Lets `CallRecipe`'s synthesized decoding read a recipe with no `enhancement` at all (written before it
    /// existed) as the default enhancement.
    public func decode(_ type: Enhancement.Type, forKey key: Key) throws -> Enhancement {
        try decodeIfPresent(type, forKey: key) ?? Enhancement()
    }
}

/// What `callaudio prompt` made, written as `prompt.json` beside the renditions.
public struct PromptReport: Sendable, Codable, Equatable {
    public var input: String
    public var kind: PromptKind
    /// Seconds, after trimming.
    public var duration: Double
    /// The active speech level reached, in dBov (ITU-T P.56).
    public var activeLevel: Double
    public var peakDBFS: Double
    /// Samples of the input at full scale (clipped when it was recorded).
    public var clippedSamples: Int
    /// The share of the prompt that is not speech, 0 ... 1.
    public var silenceShare: Double
    /// The gain applied to reach the target level, in dB.
    public var gainDB: Double
    public var denoise: String
    public var renditions: [PromptRendition]
}

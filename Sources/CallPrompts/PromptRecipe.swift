import CallAudio

/// How to prepare one prompt: the uploaded file, its kind, where the renditions go, and the clean-up.
public struct PromptRecipe: Sendable, Codable, Equatable {
    public var input: String
    public var kind: PromptKind
    public var outputDirectory: String
    /// Noise suppression and high-pass; the levelling is the prompt's own (`targetLevel`).
    public var enhancement: Enhancement
    /// The active speech level to reach, in dBov (ITU-T P.56).
    public var targetLevel: Double

    /// The level telephone prompts are usually produced at: -22 dBov active speech (ITU-T P.800-series
    /// listening tests and carriers' announcement guidelines sit between -26 and -20).
    public static let defaultTargetLevel = -22.0
    /// The highest sample any rendition may reach, in dBFS.
    public static let peakCeiling = -3.0
    /// Kept before the first and after the last speech.
    public static let leadingSilence = 0.1
    public static let trailingSilence = 0.25

    public init(
        input: String, kind: PromptKind, outputDirectory: String,
        enhancement: Enhancement = Enhancement.recommended(for: .prompt), targetLevel: Double = defaultTargetLevel
    ) {
        self.input = input
        self.kind = kind
        self.outputDirectory = outputDirectory
        self.enhancement = enhancement
        self.targetLevel = targetLevel
    }
}

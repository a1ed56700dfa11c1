/// Re-encoding one recording file into another container: the unit of work of batch re-encoding.
public struct EncodeRecipe: Codable, Sendable, Hashable {
    /// The recording to read, in any format libsndfile reads.
    public var input: String
    /// The file to write; its folder is created when missing.
    public var output: String
    public var encoding: Encoding
    /// The output sample rate; nil keeps the input's rate where the container can store it.
    public var sampleRate: Int?
    public var tags: Tags

    public init(
        input: String, output: String, encoding: Encoding = Encoding(), sampleRate: Int? = nil, tags: Tags = Tags()
    ) {
        self.input = input
        self.output = output
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.tags = tags
    }
}

/// The outcome of one re-encode.
public struct EncodeResult: Codable, Sendable, Equatable {
    public var input: String
    public var output: String
    /// Seconds of audio encoded.
    public var duration: Double
    public var bytes: Int
    /// Whether the input ended before its header said it would.
    public var completeness: CallReport.Completeness
}

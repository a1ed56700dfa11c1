/// Re-encoding one recording file into another container: the unit of work of batch re-encoding.
public struct EncodeRecipe: Codable, Sendable, Hashable {
    /// The recording to read, in any format libsndfile reads.
    public var input: String
    /// The file to write; its folder is created when missing.
    public var output: String
    public var encoding: Encoding
    public var tags: Tags

    public init(input: String, output: String, encoding: Encoding = Encoding(), tags: Tags = Tags()) {
        self.input = input
        self.output = output
        self.encoding = encoding
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

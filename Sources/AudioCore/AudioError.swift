/// An error that says what went wrong and where: a code, the file it concerns, and the library's own words.
///
/// Its description is the one line a user sees: `leg.wav: not an audio file (Format not recognised.)`.
public struct AudioError: ClassifiedError, Sendable, Equatable {
    public enum Code: String, Sendable, Codable {
        /// The file does not exist or cannot be opened.
        case fileNotFound
        /// The file is not audio in any format we read, or its header is damaged or absurd.
        case unsupportedFormat
        /// The file is valid but holds no audio frames.
        case noAudio
        /// Decoding failed part-way through in a way that left nothing usable.
        case decodeFailed
        /// The audio decodes but cannot serve its purpose (a prompt that is almost all silence, badly clipped
        /// or too long for its kind).
        case unusableAudio
        /// The recipe or options contradict each other or name something impossible.
        case invalidRecipe
        /// An encoder rejected its settings or its input.
        case encodeFailed
        /// Writing an output failed (disk full, permissions, ...).
        case writeFailed
        /// The run was stopped between chunks (its job was cancelled or taken over); nothing was published.
        case cancelled
    }

    public var code: Code
    /// The file the error concerns; nil when it concerns no single file.
    public var path: String?
    public var message: String

    public init(_ code: Code, path: String? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// True when running the same work again cannot succeed (bad input, bad recipe); false for failures that
    /// may pass on a retry (a full disk, an unwritable folder).
    public var isPermanent: Bool { code != .writeFailed && code != .cancelled }

    public var errorCode: String { code.rawValue }

    /// One line, whatever the file's name or the library's message hold.
    public var description: String {
        PrintableText.escaping(path.map { "\($0): \(message)" } ?? message)
    }
}

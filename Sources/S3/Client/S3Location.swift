/// Where a program keeps its objects: a bucket and a key prefix, written `s3://BUCKET/PREFIX` (as `--storage` takes
/// it). The prefix is empty or ends with `/`, so `key(_:)` joins it with a relative key without doubling or
/// dropping a slash.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    public let bucket: String
    /// Empty, or the prefix ending with one `/` (`calls/`, `tenant/calls/`).
    public let prefix: String

    /// A location from its parts; the prefix's leading and trailing slashes are normalised.
    /// - Throws: `S3LocationError` for a bucket name S3 does not allow or a prefix with an empty segment.
    public init(bucket: String, prefix: String = "") throws {
        guard Self.isValidBucket(bucket) else {
            throw S3LocationError(
                "--storage: '\(bucket)' is not a bucket name (3 to 63 lower-case letters, digits, '.' and '-')")
        }
        var trimmed = Substring(prefix)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard !trimmed.contains("//") else {
            throw S3LocationError("--storage: the prefix '\(prefix)' has an empty segment ('//')")
        }
        self.bucket = bucket
        self.prefix = trimmed.isEmpty ? "" : String(trimmed) + "/"
    }

    /// Parses `s3://BUCKET` or `s3://BUCKET/PREFIX` (a trailing slash or none).
    /// - Throws: `S3LocationError`, one line naming `--storage`, for anything else.
    public init(parsing text: String) throws {
        guard text.hasPrefix("s3://") else {
            throw S3LocationError("--storage: '\(text)' is not s3://BUCKET/PREFIX")
        }
        let rest = text.dropFirst("s3://".count)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else {
            throw S3LocationError("--storage: '\(text)' names no bucket (s3://BUCKET/PREFIX)")
        }
        try self.init(bucket: String(bucket), prefix: String(rest.dropFirst(bucket.count)))
    }

    /// The full key of `relative` under the prefix (`key("recordings/42/call.mp3")`).
    public func key(_ relative: String) -> String {
        var relative = Substring(relative)
        while relative.hasPrefix("/") { relative = relative.dropFirst() }
        return prefix + relative
    }

    /// `s3://BUCKET/PREFIX`.
    public var description: String { "s3://\(bucket)/\(prefix)" }

    /// S3's rules for new buckets: 3–63 characters of `a-z 0-9 . -`, starting and ending with a letter or digit.
    static func isValidBucket(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard (3...63).contains(bytes.count), let first = bytes.first, let last = bytes.last,
            isAlphanumeric(first), isAlphanumeric(last)
        else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }
}

/// A `--storage` value that is not a valid `s3://BUCKET/PREFIX`; its description is one line for the user.
public struct S3LocationError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) { self.description = description }
}

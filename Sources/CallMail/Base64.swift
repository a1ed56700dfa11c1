import Foundation

/// Base64 as MIME uses it.
enum Base64 {
    /// One unbroken line, for encoded-words and AUTH.
    static func encode(_ bytes: some Sequence<UInt8>) -> String { Data(bytes).base64EncodedString() }

    /// A body in lines of 76 characters ending in CRLF (RFC 2045 section 6.8).
    static func bodyLines(_ data: Data) -> String {
        data.isEmpty
            ? ""
            : data.base64EncodedString(options: [
                .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
            ]) + "\r\n"
    }
}

/// An email address checked before it goes into a header: `local@domain`, ASCII, with no spaces, control
/// characters or the punctuation that would let it close a header or add a recipient.
///
/// The check is deliberately strict (RFC 5321 dot-atom local part, a DNS host name or an address literal is
/// not accepted): a voicemail goes to a configured mailbox, and a value that fails here is a configuration
/// error better reported than sent.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// `user@example.com`.
    public let address: String
    /// The part after the `@`, for Message-IDs.
    public var domain: Substring { address[address.index(after: address.lastIndex(of: "@")!)...] }

    /// Characters RFC 5322's `atext` allows in a dot-atom local part, besides letters and digits.
    private static let localSymbols = Set("!#$%&'*+-/=?^_`{|}~.")

    /// Throws `MailError.invalidAddress` naming `field` when `text` is not a usable address.
    public init(_ text: String, field: String) throws(MailError) {
        guard let problem = Self.problem(text) else {
            address = text
            return
        }
        throw MailError.invalidAddress(field: field, problem: problem)
    }

    /// Why `text` is not a usable address; nil when it is.
    private static func problem(_ text: String) -> String? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "needs exactly one @" }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64 else { return "the part before @ must be 1 to 64 characters" }
        guard text.utf8.count <= 254 else { return "is longer than 254 characters" }
        guard local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || localSymbols.contains($0)) }),
            !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return "has a character not allowed before @ (letters, digits and !#$%&'*+-/=?^_`{|}~. only)" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            })
        else { return "needs a domain of letters, digits and hyphens with a dot, such as example.com" }
        return nil
    }

    public var description: String { address }
}

/// What went wrong building or sending an email, as one line that never contains a password.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An address given for `field` (`--to`, `--from`) is unusable.
    case invalidAddress(field: String, problem: String)
    /// A template could not be read or parsed.
    case invalidTemplate(name: String, problem: String)

    public var description: String {
        switch self {
        case .invalidAddress(let field, let problem): "\(field): not a usable email address: \(problem)"
        case .invalidTemplate(let name, let problem): "template \(name): \(problem)"
        }
    }
}

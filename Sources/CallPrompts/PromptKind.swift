/// What a prompt is for, which bounds its length.
public enum PromptKind: String, Codable, Sendable, CaseIterable {
    /// A voicemail greeting, played before the beep.
    case greeting
    /// A voicemail drop: a message left in the other side's voicemail, which must start at once.
    case drop
    /// The recording disclosure ("this call may be recorded"), played before every recorded call.
    case disclosure

    /// The longest prompt of this kind, in seconds, after silence is trimmed.
    public var maximumSeconds: Double {
        switch self {
        case .greeting: 120
        case .drop: 60
        case .disclosure: 15
        }
    }
}

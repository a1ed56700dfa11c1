/// The recordings a scoped access token sees: those whose `contact_id` is one of `contactIDs` or whose
/// `conversation_id` is one of `conversationIDs`. A list or a search narrowed to a scope leaves the rest out in
/// the catalog's query itself, so pages are full and cursors only ever name recordings in the scope.
public struct RecordingScope: Sendable, Equatable {
    public var contactIDs: [String]
    public var conversationIDs: [String]

    public init(contactIDs: [String] = [], conversationIDs: [String] = []) {
        self.contactIDs = contactIDs
        self.conversationIDs = conversationIDs
    }

    /// True when the scope names neither a contact nor a conversation (and so would show nothing).
    public var isEmpty: Bool { contactIDs.isEmpty && conversationIDs.isEmpty }

    /// True when a recording with `details` is in the scope.
    public func contains(_ details: CallDetails) -> Bool {
        details.contactID.map { contactIDs.contains($0) } == true
            || details.conversationID.map { conversationIDs.contains($0) } == true
    }
}

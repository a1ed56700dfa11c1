import AudioTesting
import CallAudio
import CallRecordings
import Foundation
import Testing

@testable import CallAudioJobs
@testable import Jobs

/// A scoped access token's view of the catalog, on SQLite and PostgreSQL alike: the scope is a condition of the
/// query, so a page is full of recordings in the scope and its cursor names one of them.
@Suite(.postgresServer) struct CatalogScopeTests {
    /// Recordings `r0` ... `r5`, newest first by id: contacts c0, c1, c2 and conversations v0, v1 in turn.
    func fill(_ catalog: any RecordingCatalog) async throws {
        for index in 0..<6 {
            let id = "r\(index)"
            let details = CallDetails(
                startedAt: Date(timeIntervalSince1970: Double(index)), contactID: "c\(index % 3)",
                conversationID: "v\(index % 2)")
            _ = try await catalog.enqueue(
                try JobRequest(
                    payload: .call(CallRecipe(legs: [.init(path: "/in/\(id).wav")], outputDirectory: "/out/\(id)")),
                    idempotencyKey: "recording:\(id)"),
                recording: Recording(id: id, kind: .call, details: details, createdAt: Date()))
        }
    }

    func filter(contacts: [String] = [], conversations: [String] = []) -> RecordingFilter {
        var filter = RecordingFilter()
        filter.scope = RecordingScope(contactIDs: contacts, conversationIDs: conversations)
        return filter
    }

    @Test(arguments: StoreKind.allCases) func aScopeShowsItsContactsOrConversationsInFullPages(store: StoreKind)
        async throws
    {
        try await store.withCatalog { catalog in
            try await fill(catalog)
            func ids(_ filter: RecordingFilter) async throws -> [String] {
                try await catalog.recordings(matching: filter, limit: 50, after: nil).recordings.map(\.id)
            }
            #expect(try await ids(filter(contacts: ["c0"])) == ["r3", "r0"])
            #expect(try await ids(filter(conversations: ["v1"])) == ["r5", "r3", "r1"])
            #expect(try await ids(filter(contacts: ["c2"], conversations: ["v1"])) == ["r5", "r3", "r2", "r1"])
            #expect(try await ids(filter(contacts: ["c0", "c1"])) == ["r4", "r3", "r1", "r0"])
            #expect(try await ids(filter()) == [], "an empty scope shows nothing")
            // The scope and a query filter both hold.
            var narrowed = filter(contacts: ["c0", "c1"])
            narrowed.contactID = "c1"
            #expect(try await ids(narrowed) == ["r4", "r1"])
            narrowed.contactID = "c2"
            #expect(try await ids(narrowed) == [], "a filter cannot reach past the scope")
            // Pages of two: full, and the last has no cursor though recordings outside the scope are older.
            let first = try await catalog.recordings(matching: filter(contacts: ["c1"]), limit: 1, after: nil)
            #expect(first.recordings.map(\.id) == ["r4"])
            let second = try await catalog.recordings(
                matching: filter(contacts: ["c1"]), limit: 1, after: first.nextCursor)
            #expect(second.recordings.map(\.id) == ["r1"])
            #expect(second.nextCursor == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func searchSeesOnlyTheScope(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            try await fill(catalog)
            for index in 0..<6 {
                try await catalog.index(
                    [IndexedSegment(start: 1, end: 2, speaker: "Agent", text: "Your order number")], of: "r\(index)")
            }
            let page = try await catalog.search(
                try TranscriptQuery("order"), matching: filter(contacts: ["c2"]), limit: 50, after: nil)
            #expect(page.hits.map(\.recordingID) == ["r5", "r2"])
            #expect(page.nextCursor == nil)
        }
    }
}

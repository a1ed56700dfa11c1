import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import CallRecordings
import Foundation

/// `callaudio-server recordings list|show|search|delete`: the catalog from the command line, through the same
/// code as the routes (`GET /v1/recordings`, `GET /v1/recordings/{id}`, `GET /v1/recordings/search`,
/// `DELETE /v1/recordings/{id}` and `DELETE /v1/conversations/{id}`).
struct RecordingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recordings",
        abstract: "List, show, search and delete the service's recordings.",
        subcommands: [List.self, Show.self, Search.self, Delete.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A page of recordings, newest call first, filtered (as GET /v1/recordings).",
            discussion: """
                Example:
                  callaudio-server recordings list --contact-id c-1 --limit 20 \\
                    --queue sqlite:/var/lib/callaudio/jobs.db --storage /var/lib/callaudio/storage
                """)

        @OptionGroup var place: CatalogPlace
        @OptionGroup(title: "Filters") var filters: RecordingFilterOptions
        @Option(help: "At most this many, 1 to 500. Example: --limit 20") var limit: Int?
        @Option(help: "The next page: the next_cursor a list printed. Example: --cursor MTc...") var cursor: String?
        @OptionGroup var output: JobOutputOptions

        func run() async throws {
            var parameters = filters.parameters
            parameters["limit"] = limit.map(String.init)
            parameters["cursor"] = cursor
            let request = try CatalogPlace.parse { () throws(FieldProblem) in
                try RecordingListRequest(parameters: parameters)
            }
            let list = try await place.withService { try await $0.list(request) }
            try output.print(
                list,
                text: (list.recordings.map(RecordingText.line) + (list.nextCursor.map { ["next: \($0)"] } ?? []))
                    .joined(separator: "\n"))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One recording, as GET /v1/recordings/{id} shows it (with fresh signed links).")

        @Argument(help: "The recording id.") var id: String
        @OptionGroup var place: CatalogPlace
        @OptionGroup var output: JobOutputOptions

        func run() async throws {
            let resource = try await place.withService { service in
                do {
                    return try await service.resource(of: id)
                } catch RecordingService.Failure.notFound {
                    throw exitWith(69, "\(id): no such recording")
                }
            }
            try output.print(resource, text: RecordingText.line(resource))
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transcript moments holding every word of QUERY (as GET /v1/recordings/search).",
            discussion: """
                Every word must be in the segment, in any case; a quoted phrase is a phrase. Each hit has a signed \
                player link that opens at it.

                Example:
                  callaudio-server recordings search '"order number" refund' --contact-id c-1 \\
                    --queue sqlite:/var/lib/callaudio/jobs.db --storage /var/lib/callaudio/storage
                """)

        @Argument(help: "The words to find.") var query: String
        @OptionGroup var place: CatalogPlace
        @OptionGroup(title: "Filters") var filters: RecordingFilterOptions
        @Option(help: "At most this many hits, 1 to 500. Example: --limit 20") var limit: Int?
        @Option(help: "The next page: the next_cursor a search printed.") var cursor: String?
        @OptionGroup var output: JobOutputOptions

        func run() async throws {
            var parameters = filters.parameters
            parameters["q"] = query
            parameters["limit"] = limit.map(String.init)
            parameters["cursor"] = cursor
            let request = try CatalogPlace.parse { () throws(FieldProblem) in
                try RecordingSearchRequest(parameters: parameters)
            }
            let results = try await place.withService { try await $0.search(request) }
            let lines = results.hits.map { hit in
                "\(hit.recordingID)  \(String(format: "%.1f", hit.start))s  \(hit.speaker.map { "\($0): " } ?? "")\(hit.text)"
            }
            try output.print(
                results, text: (lines + (results.nextCursor.map { ["next: \($0)"] } ?? [])).joined(separator: "\n"))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a recording, or every recording of a conversation (--conversation).",
            discussion: """
                The one deletion path, as DELETE /v1/recordings/{id} and DELETE /v1/conversations/{id}. Exits 69 \
                when there is no such recording; a conversation with nothing left is no error.

                Example:
                  callaudio-server recordings delete --conversation v-1 \\
                    --queue sqlite:/var/lib/callaudio/jobs.db --storage /var/lib/callaudio/storage
                """)

        @Argument(help: "The recording id.") var id: String?
        @Option(help: "Delete every recording of this conversation instead. Example: --conversation v-1")
        var conversation: String?
        @OptionGroup var place: CatalogPlace

        func validate() throws {
            guard (id == nil) != (conversation == nil) else {
                throw ValidationError("give a recording id or --conversation ID, one of them")
            }
        }

        func run() async throws {
            try await place.withService { service in
                if let conversation {
                    print(
                        "deleted \(try await service.deleteConversation(conversation)) of conversation \(conversation)")
                } else if let id {
                    do {
                        try await service.delete(id)
                    } catch RecordingService.Failure.notFound {
                        throw exitWith(69, "\(id): no such recording")
                    }
                    print("deleted \(id)")
                }
            }
        }
    }
}

/// Where the recordings are: the queue's database (with the catalog) and the storage folder; webhook options for
/// the events a deletion sends.
struct CatalogPlace: ParsableArguments {
    @OptionGroup var queue: QueueOptions

    @Option(help: ArgumentHelp(StorageOptions.storageHelp))
    var storage: String

    @OptionGroup(title: "Storage") var storageOptions: StorageOptions

    @OptionGroup(title: "Webhooks") var webhooks: WebhookOptions

    /// Runs `body` with the recording service over the catalog and the storage folder.
    func withService<T>(_ body: (RecordingService) async throws -> T) async throws -> T {
        makeCreatedFilesPrivate()
        let storage = try storageOptions.open(self.storage)
        return try await withCatalog(queue) { catalog in
            try await body(
                RecordingService(
                    storage: storage, catalog: catalog, signer: try await catalog.mediaSigner(storage: storage),
                    events: try webhooks.events(storage: storage)))
        }
    }

    /// Reads a request; a problem is named by its flag (`contact_id: ...` as `--contact-id: ...`).
    static func parse<T>(_ read: () throws(FieldProblem) -> T) throws -> T {
        do {
            return try read()
        } catch {
            guard let colon = error.message.firstIndex(of: ":"), error.message[..<colon].allSatisfy({ $0 != " " })
            else { throw ValidationError(error.message) }
            let flag = error.message[..<colon].replacingOccurrences(of: "_", with: "-")
            throw ValidationError("--\(flag)\(error.message[colon...])")
        }
    }
}

/// The list's filters as flags, spelled as the route's parameters with dashes.
struct RecordingFilterOptions: ParsableArguments {
    @Option(help: "Example: --contact-id c-1") var contactId: String?
    @Option(help: "Example: --conversation-id v-1") var conversationId: String?
    @Option(help: "inbound or outbound.") var direction: String?
    @Option(help: "answered, no-answer, busy, failed or voicemail.") var callStatus: String?
    @Option(help: "The user who handled the call. Example: --handled-by u-7") var handledBy: String?
    @Option(help: "call or voicemail.") var kind: String?
    @Option(help: "queued, processing, ready or failed.") var status: String?
    @Option(help: "The call's from or to, by digits. Example: --number '+1 555 0100'") var number: String?
    @Option(help: "RFC 3339. Example: --started-after 2026-12-01T00:00:00Z") var startedAfter: String?
    @Option(help: "RFC 3339. Example: --started-before 2026-12-08T00:00:00Z") var startedBefore: String?
    @Option(help: "true or false.") var hasTranscript: String?

    /// The filters given, by the route's parameter names.
    var parameters: [String: String] {
        let given: [(String, String?)] = [
            ("contact_id", contactId), ("conversation_id", conversationId), ("direction", direction),
            ("call_status", callStatus), ("handled_by", handledBy), ("kind", kind), ("status", status),
            ("number", number), ("started_after", startedAfter), ("started_before", startedBefore),
            ("has_transcript", hasTranscript),
        ]
        return Dictionary(uniqueKeysWithValues: given.compactMap { name, value in value.map { (name, $0) } })
    }
}

/// Recordings as people read them in a terminal.
enum RecordingText {
    /// `a833bfc14a65f636bd809b61  call  ready  2026-12-06T13:12:00Z  +1 555 0100 -> 4711  contact c-1  transcript ready`
    static func line(_ recording: RecordingResource) -> String {
        let details = recording.details
        var fields = [recording.id, recording.kind.rawValue, recording.status]
        if let started = details.startedAt { fields.append(started.formatted(.iso8601)) }
        if details.from != nil || details.to != nil { fields.append("\(details.from ?? "?") -> \(details.to ?? "?")") }
        if let contact = details.contactID { fields.append("contact \(contact)") }
        fields.append("transcript \(recording.transcript)")
        return fields.joined(separator: "  ")
    }
}

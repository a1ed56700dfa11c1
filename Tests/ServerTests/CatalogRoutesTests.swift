import AudioTesting
import CallAudioJobs
import CallAudioServer
import CallRecordings
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The call's details at ingest and `GET /v1/recordings`, through the routes.
@Suite struct CatalogRoutesTests {
    static let details = [
        "direction": "inbound", "from": "+1 (555) 123-4567", "to": "4711", "started_at": "2026-12-06T14:12:00+01:00",
        "call_status": "answered", "handled_by": "u-7", "handled_by_name": "Zoë Müller", "contact_id": "c-1",
        "conversation_id": "v-1",
    ]

    func list(_ query: String, client: some TestClientProtocol) async throws -> RecordingList {
        let response = try await client.execute(
            uri: "/v1/recordings\(query)", method: .get, headers: ServiceHarness.authorized)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try response.json(RecordingList.self)
    }

    @Test func theDetailsGivenAtIngestAreStoredAndReturned() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let id = try await harness.ingestAndProcess(client: client, fields: Self.details)
            let response = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized)
            let json = try #require(try JSONSerialization.jsonObject(with: response.data) as? [String: Any])
            for (name, value) in Self.details where name != "started_at" {
                #expect(json[name] as? String == value, "\(name)")
            }
            #expect(json["started_at"] as? String == "2026-12-06T13:12:00.000Z", "RFC 3339, in UTC")
            #expect(json["status"] as? String == "ready")
        }
    }

    @Test(arguments: [
        ("direction", "sideways", "direction: sideways is not inbound or outbound"),
        ("from", "alice@example.com", "from: alice@example.com is not a phone number"),
        ("started_at", "yesterday", "started_at: yesterday is not an RFC 3339 time"),
        ("call_status", "hung-up", "call_status: hung-up is not"),
        ("contact_id", String(repeating: "x", count: 257), "contact_id is longer than 256 characters"),
    ])
    func aBadDetailIsRefusedByName(field: String, value: String, message: String) async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            var form = Multipart()
            for (index, leg) in try harness.legs().enumerated() { try form.file("leg\(index + 1)", leg) }
            form.field(field, value)
            let response = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(message), "\(String(buffer: response.body))")
        }
        #expect(try harness.storageListing() == ["recordings", "uploads"], "nothing kept of a refused upload")
    }

    @Test func theListFiltersAndPagesThroughTheRoute() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            var ids: [String] = []
            for index in 0..<3 {
                var fields = Self.details
                fields["started_at"] = "2026-12-06T1\(index):00:00Z"
                fields["contact_id"] = index == 1 ? "c-2" : "c-1"
                ids.append(try await harness.ingestAndProcess(client: client, callID: "call-\(index)", fields: fields))
            }
            let all = try await list("", client: client)
            #expect(all.recordings.map(\.id) == ids.reversed(), "newest call first")
            #expect(all.nextCursor == nil)
            #expect(all.recordings.first?.details.contactID == "c-1")
            #expect(try await list("?contact_id=c-1", client: client).recordings.map(\.id) == [ids[2], ids[0]])
            let first = try await list("?limit=2", client: client)
            #expect(first.recordings.map(\.id) == [ids[2], ids[1]])
            let cursor = try #require(first.nextCursor)
            let second = try await list("?limit=2&cursor=\(cursor)", client: client)
            #expect(second.recordings.map(\.id) == [ids[0]])
            #expect(second.nextCursor == nil)
            // The JSON says null on the last page rather than leaving the key out.
            let raw = try await client.execute(uri: "/v1/recordings", method: .get, headers: ServiceHarness.authorized)
            #expect(String(buffer: raw.body).contains(#""next_cursor":null"#))
        }
    }

    @Test(arguments: [
        ("?status=deleted", "status: deleted is not one of queued, processing, ready, failed"),
        ("?direction=up", "direction: up is not one of inbound, outbound"),
        ("?limit=501", "limit: 501 is not a whole number from 1 to 500"),
        ("?cursor=bogus", "cursor: bogus is not a next_cursor this service handed out"),
        ("?contact=c-1", "contact: no such filter"),
        ("?number=call-me", "number: call-me is not a phone number"),
        ("?started_after=soon", "started_after: soon is not an RFC 3339 time"),
        ("?kind=call&kind=voicemail", "kind: given more than once"),
    ])
    func anUnknownFilterOrValueIs400(query: String, message: String) async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/recordings\(query)", method: .get, headers: ServiceHarness.authorized)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(message), "\(String(buffer: response.body))")
            let anonymous = try await client.execute(uri: "/v1/recordings", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    /// The bundled sample call, transcribed for real by the bundled Whisper server, searched through the route.
    @Test func searchFindsWhatWasSaidAndLinksToTheMoment() async throws {
        let harness = try await ServiceHarness()
        let samples = Fixtures.packageRoot.appendingPathComponent("samples/call")
        let server = try await offThePool { try WhisperTestServer.baseURL() }
        let environment = ProcessInfo.processInfo.environment.merging(["CALLAUDIO_TRANSCRIBER_URL": server]) { $1 }
        try await harness.app.test(.router) { client in
            var form = Multipart()
            try form.file("leg1", samples.appendingPathComponent("caller.wav"))
            try form.file("leg2", samples.appendingPathComponent("agent.opus"))
            for (name, value) in [
                "offsets": "2=2.0", "roles": "caller,agent", "transcribe": "true", "contact_id": "c-9",
            ] {
                form.field(name, value)
            }
            let response = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            let id = try response.json(Accepted.self).id
            try await harness.runJobs(runner: AudioJobRunner(environment: environment))
            func search(_ query: String) async throws -> SearchResults {
                let answer = try await client.execute(
                    uri: "/v1/recordings/search?\(query)", method: .get, headers: ServiceHarness.authorized)
                #expect(answer.status == .ok, "\(String(buffer: answer.body))")
                return try answer.json(SearchResults.self)
            }
            // The agent asks "What is the order number?" about 4 s in.
            let found = try await search("q=ORDER%20number&contact_id=c-9")
            let hit = try #require(found.hits.first { $0.speaker == "Agent" }, "\(found)")
            #expect(hit.recordingID == id)
            #expect(hit.text.lowercased().contains("order number"))
            #expect((3...6).contains(hit.start), "\(hit.start)")
            #expect(hit.playerURL.hasSuffix("#t=\(String(format: "%g", (hit.start * 1000).rounded() / 1000))"))
            let page = try await client.execute(
                uri: String(hit.playerURL.prefix { $0 != "#" }), method: .get)
            #expect(page.status == .ok, "the hit's player link is signed")
            #expect(try await search("q=%22number%20order%22").hits.isEmpty, "a quoted phrase is a phrase")
            #expect(try await search("q=order&contact_id=c-0").hits.isEmpty)
            let refused = try await client.execute(
                uri: "/v1/recordings/search?q=order&kind=sideways", method: .get, headers: ServiceHarness.authorized)
            #expect(refused.status == .badRequest)
            let empty = try await client.execute(
                uri: "/v1/recordings/search?q=%22%20%22", method: .get, headers: ServiceHarness.authorized)
            #expect(String(buffer: empty.body).contains("q: give at least one word"))
        }
    }

    @Test func aConversationIsDeletedWholeAndAgainIsHarmless() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            var ids: [String: String] = [:]
            for (call, conversation) in [("a", "v-1"), ("b", "v-1"), ("c", "v-2")] {
                ids[call] = try await harness.ingestAndProcess(
                    client: client, callID: call, fields: ["conversation_id": conversation])
            }
            for _ in 0..<2 {
                let deleted = try await client.execute(
                    uri: "/v1/conversations/v-1", method: .delete, headers: ServiceHarness.authorized)
                #expect(deleted.status == .noContent)
            }
            for call in ["a", "b"] {
                let id = try #require(ids[call])
                let gone = try await client.execute(
                    uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized)
                #expect(gone.status == .notFound)
                #expect(try await harness.catalog.recording(id)?.status == .deleted)
            }
            #expect(
                try harness.storageListing().filter {
                    $0.hasPrefix("recordings/") && $0.split(separator: "/").count == 2
                }
                    == ["recordings/\(try #require(ids["c"]))"],
                "nothing of the conversation's recordings is left on disk")
            #expect(try await list("", client: client).recordings.map(\.id) == [ids["c"]])
        }
    }

    /// `callaudio-server recordings ...` runs the routes' code: the same JSON.
    @Test func theCommandLineAnswersAsTheRoutes() async throws {
        let harness = try await ServiceHarness()
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("callaudio-server").path
        try await harness.app.test(.router) { client in
            let id = try await harness.ingestAndProcess(client: client, fields: Self.details)
            let place = [
                "--queue", "sqlite:" + harness.folder.appendingPathComponent("jobs.db").path, "--storage",
                harness.storage.path,
            ]
            let listed = try ExternalTool.run(binary, ["recordings", "list", "--contact-id", "c-1", "--json"] + place)
            #expect(listed.status == 0, "\(listed.stderr)")
            let printed = try JSONDecoder().decode(RecordingList.self, from: Data(listed.stdout.utf8))
            #expect(printed.recordings.map(\.id) == [id])
            #expect(printed.recordings.first?.details == (try await list("", client: client)).recordings.first?.details)
            let refused = try ExternalTool.run(binary, ["recordings", "list", "--direction", "up"] + place)
            #expect(refused.status == 64)
            #expect(refused.stderr.contains("--direction: up is not one of inbound, outbound"), "\(refused.stderr)")
            let deleted = try ExternalTool.run(
                binary, ["recordings", "delete", "--conversation", "v-1"] + place)
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(deleted.stdout.contains("deleted 1 of conversation v-1"))
            let gone = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized)
            #expect(gone.status == .notFound)
        }
    }
}

import AudioTesting
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
        let harness = try ServiceHarness()
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
        let harness = try ServiceHarness()
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
        let harness = try ServiceHarness()
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
        let harness = try ServiceHarness()
        try await harness.app.test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/recordings\(query)", method: .get, headers: ServiceHarness.authorized)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(message), "\(String(buffer: response.body))")
            let anonymous = try await client.execute(uri: "/v1/recordings", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }
}

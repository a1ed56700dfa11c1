import AudioTesting
import CallAudioServer
import CallRecordings
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Scoped access tokens and link lifetimes (issue 23), against a live service: a token sees only the recordings
/// of its contacts and conversations, may do only what it grants, and is accepted by every node that shares the
/// signing key; links live as long as asked and never past the token.
@Suite struct AccessTokenTests {
    /// The `201` of `POST /v1/access-tokens`.
    struct Issued: Decodable {
        var token: String
        var expiresAt: String

        enum CodingKeys: String, CodingKey {
            case token
            case expiresAt = "expires_at"
        }
    }

    /// An id no recording has.
    static let missing = "0123456789abcdef01234567"

    /// Three processed calls, one each for contacts c-1, c-2 and c-3 (conversations v-1, v-2, v-3), each with a
    /// transcript that says "order number"; ingested and processed through the router, as the browser tests do.
    static func threeCalls(_ harness: ServiceHarness) async throws -> [String] {
        try await harness.app.test(.router) { client in
            var ids: [String] = []
            for index in 1...3 {
                let id = try await harness.ingestAndProcess(
                    client: client, callID: "call-\(index)",
                    fields: [
                        "contact_id": "c-\(index)", "conversation_id": "v-\(index)",
                        "started_at": "2026-12-06T1\(index):00:00Z",
                    ])
                try await harness.catalog.index(
                    [IndexedSegment(start: 1, end: 2, speaker: "agent", text: "Your order number, please.")], of: id)
                ids.append(id)
            }
            return ids
        }
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    /// `POST /v1/access-tokens` with `body`, as `headers` (the API key by default).
    static func mint(
        _ body: String, client: some TestClientProtocol, headers: HTTPFields = ServiceHarness.authorized
    ) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await client.execute(
            uri: "/v1/access-tokens", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// A token for `contacts` and `conversations` granting `permissions`, minted through the route.
    static func token(
        contacts: [String] = [], conversations: [String] = [], permissions: [String], expiresIn: Int = 600,
        client: some TestClientProtocol
    ) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: [
            "contact_ids": contacts, "conversation_ids": conversations, "permissions": permissions,
            "expires_in": expiresIn,
        ])
        let response = try await mint(String(decoding: body, as: UTF8.self), client: client)
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try response.json(Issued.self).token
    }

    /// The `expires` a signed link carries.
    static func expiry(of link: String) throws -> Int {
        let items = URLComponents(string: link)?.queryItems ?? []
        return try #require(items.first { $0.name == "expires" }?.value.flatMap(Int.init))
    }

    /// Status and body of a `GET` of `uri`.
    static func get(_ uri: String, _ headers: HTTPFields = [:], client: some TestClientProtocol) async throws
        -> (HTTPResponse.Status, String)
    {
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        return (response.status, String(buffer: response.body))
    }

    @Test func aTokenForOneContactListsReadsSearchesAndPlaysOnlyThatContactsRecordings() async throws {
        let harness = try await ServiceHarness()
        let ids = try await Self.threeCalls(harness)
        try await harness.app.test(.live) { client in
            let token = try await Self.token(contacts: ["c-1"], permissions: ["read"], client: client)
            let scoped = Self.bearer(token)

            let list = try await client.execute(uri: "/v1/recordings", method: .get, headers: scoped)
            #expect(list.status == .ok)
            #expect(try list.json(RecordingList.self).recordings.map(\.id) == [ids[0]])
            // A page of one is full and is the last: nothing says there is more outside the scope.
            let page = try await client.execute(uri: "/v1/recordings?limit=1", method: .get, headers: scoped)
            #expect(try page.json(RecordingList.self).recordings.map(\.id) == [ids[0]])
            #expect(try page.json(RecordingList.self).nextCursor == nil)
            let filtered = try await client.execute(
                uri: "/v1/recordings?contact_id=c-2", method: .get, headers: scoped)
            #expect(try filtered.json(RecordingList.self).recordings.isEmpty, "a filter does not reach past the scope")

            let search = try await client.execute(
                uri: "/v1/recordings/search?q=order%20number", method: .get, headers: scoped)
            #expect(search.status == .ok)
            let hits = try search.json(SearchResults.self)
            #expect(hits.hits.map(\.recordingID) == [ids[0]])
            #expect(hits.nextCursor == nil)
            let everything = try await client.execute(
                uri: "/v1/recordings/search?q=order%20number", method: .get, headers: ServiceHarness.authorized)
            #expect(try everything.json(SearchResults.self).hits.count == 3, "the API key sees every recording")

            // Its own recording, its files and its player.
            let (status, body) = try await Self.get("/v1/recordings/\(ids[0])", scoped, client: client)
            #expect(status == .ok)
            let resource = try JSONDecoder().decode(RecordingResource.self, from: Data(body.utf8))
            let audio = try await client.execute(
                uri: "/v1/recordings/\(ids[0])/audio.mp3", method: .get, headers: scoped)
            #expect(audio.status == .ok)
            #expect(audio.headers[.contentType] == "audio/mpeg")
            let player = try await Self.get(resource.playerURL, client: client)
            #expect(player.0 == .ok)
            let audioSource = try #require(
                player.1.firstMatch(of: /<audio id="audio" preload="metadata" src="([^"]+)"/)?.1)
            let played = try await client.execute(
                uri: String(audioSource).replacingOccurrences(of: "&amp;", with: "&"), method: .get,
                headers: [.range: "bytes=0-99"])
            #expect(played.status == .partialContent)

            // Everyone else's answers exactly as a recording that does not exist.
            for suffix in ["", "/audio.mp3", "/waveform.json", "/transcript.json", "/transcript.txt"] {
                let other = try await Self.get("/v1/recordings/\(ids[1])\(suffix)", scoped, client: client)
                let missing = try await Self.get("/v1/recordings/\(Self.missing)\(suffix)", scoped, client: client)
                #expect(other.0 == .notFound, "\(suffix)")
                #expect(other.0 == missing.0 && other.1 == missing.1, "\(suffix): \(other) \(missing)")
            }
            let (_, withKey) = try await Self.get(
                "/v1/recordings/\(Self.missing)", ServiceHarness.authorized, client: client)
            let (_, outOfScope) = try await Self.get("/v1/recordings/\(ids[2])", scoped, client: client)
            #expect(outOfScope == withKey, "as the platform is told of a recording that does not exist")
        }
    }

    @Test func eachPermissionIsEnforced() async throws {
        let harness = try await ServiceHarness()
        let ids = try await Self.threeCalls(harness)
        try await harness.app.test(.live) { client in
            let reader = Self.bearer(
                try await Self.token(contacts: ["c-1", "c-2"], permissions: ["read"], client: client))
            let deleter = Self.bearer(
                try await Self.token(contacts: ["c-1", "c-2"], permissions: ["delete"], client: client))
            let transcriber = Self.bearer(
                try await Self.token(contacts: ["c-1", "c-2"], permissions: ["transcribe"], client: client))
            func status(_ method: HTTPRequest.Method, _ uri: String, _ headers: HTTPFields) async throws
                -> HTTPResponse.Status
            {
                try await client.execute(uri: uri, method: method, headers: headers).status
            }
            // read: reads, and nothing else.
            #expect(try await status(.get, "/v1/recordings/\(ids[0])", reader) == .ok)
            #expect(try await status(.delete, "/v1/recordings/\(ids[0])", reader) == .forbidden)
            #expect(try await status(.post, "/v1/recordings/\(ids[0])/transcript", reader) == .forbidden)
            // A reader's player cannot ask for a transcript either, nor can its link be turned into one that does.
            let (_, body) = try await Self.get("/v1/recordings/\(ids[0])", reader, client: client)
            let readOnly = try JSONDecoder().decode(RecordingResource.self, from: Data(body.utf8)).playerURL
            let (pageStatus, page) = try await Self.get(readOnly, client: client)
            #expect(pageStatus == .ok)
            #expect(!page.contains("generate-transcript") && !page.contains("/transcript?"))
            let linkQuery = readOnly.components(separatedBy: "?")[1]
            #expect(try await status(.post, "/v1/recordings/\(ids[0])/transcript?\(linkQuery)", [:]) == .forbidden)
            let (_, withKey) = try await Self.get("/v1/recordings/\(ids[0])", ServiceHarness.authorized, client: client)
            let full = try JSONDecoder().decode(RecordingResource.self, from: Data(withKey.utf8)).playerURL
            #expect(try await Self.get(full, client: client).1.contains("Generate transcript"))
            // transcribe: asks for a transcript, and may not read.
            #expect(try await status(.get, "/v1/recordings/\(ids[0])", transcriber) == .forbidden)
            #expect(try await status(.get, "/v1/recordings", transcriber) == .forbidden)
            #expect(try await status(.get, "/v1/recordings/search?q=order", transcriber) == .forbidden)
            #expect(try await status(.post, "/v1/recordings/\(ids[2])/transcript", transcriber) == .notFound)
            #expect(try await status(.post, "/v1/recordings/\(ids[0])/transcript", transcriber) == .accepted)
            // delete: deletes what is in the scope; what is outside does not exist.
            #expect(try await status(.get, "/v1/recordings/\(ids[1])/audio.mp3", deleter) == .forbidden)
            #expect(try await status(.delete, "/v1/recordings/\(ids[2])", deleter) == .notFound)
            #expect(try await status(.delete, "/v1/recordings/\(ids[1])", deleter) == .noContent)
            #expect(try await status(.get, "/v1/recordings/\(ids[1])", ServiceHarness.authorized) == .notFound)
            #expect(try await status(.get, "/v1/recordings/\(ids[2])", ServiceHarness.authorized) == .ok)

            // A conversation goes only when the scope names it.
            let conversation = Self.bearer(
                try await Self.token(conversations: ["v-3"], permissions: ["delete"], client: client))
            #expect(try await status(.delete, "/v1/conversations/v-1", conversation) == .forbidden)
            #expect(try await status(.delete, "/v1/conversations/v-1", deleter) == .forbidden, "c-1 is not v-1")
            #expect(try await status(.get, "/v1/recordings/\(ids[0])", ServiceHarness.authorized) == .ok)
            #expect(try await status(.delete, "/v1/conversations/v-3", conversation) == .noContent)
            #expect(try await status(.get, "/v1/recordings/\(ids[2])", ServiceHarness.authorized) == .notFound)

            // No token ingests or mints, whatever it grants.
            let everything = Self.bearer(
                try await Self.token(
                    contacts: ["c-1"], permissions: ["read", "delete", "transcribe"], client: client))
            var form = Multipart()
            try form.file("leg1", try harness.legs()[0])
            var headers = form.headers
            headers[.authorization] = everything[.authorization]
            let ingest = try await client.execute(uri: "/v1/calls", method: .post, headers: headers, body: form.buffer)
            #expect(ingest.status == .forbidden)
            let minted = try await Self.mint(
                #"{"contact_ids": ["c-2"], "permissions": ["read"], "expires_in": 60}"#, client: client,
                headers: everything)
            #expect(minted.status == .forbidden)
            #expect(try harness.storageListing().filter { $0.hasPrefix("uploads/") }.isEmpty, "nothing was staged")
        }
    }

    @Test func forgedTamperedAndExpiredTokensAreRefusedAlike() async throws {
        let harness = try await ServiceHarness()
        let ids = try await Self.threeCalls(harness)
        try await harness.app.test(.live) { client in
            let token = try await Self.token(contacts: ["c-1"], permissions: ["read"], client: client)
            let parts = token.split(separator: ".").map(String.init)
            #expect(parts.count == 3 && parts[0] == "cat1")
            // The payload widened to c-2, the signature kept.
            let payload = try #require(Self.base64URLDecoded(parts[1]))
            let widened = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "\"c-1\"", with: "\"c-2\"")
            let tampered = "cat1.\(Self.base64URL(Data(widened.utf8))).\(parts[2])"
            // A signature flipped in its first character.
            let flipped = "cat1.\(parts[1]).\(parts[2].hasPrefix("A") ? "B" : "A")\(parts[2].dropFirst())"
            let scope = RecordingScope(contactIDs: ["c-2"])
            let expired = harness.service.signer.accessTokens.sign(
                AccessToken(scope: scope, permissions: [.read], expiresAt: Date() - 1))
            let otherKey = AccessTokenSigner(signingKey: SymmetricKey(size: .bits256)).sign(
                AccessToken(scope: scope, permissions: [.read], expiresAt: Date() + 600))
            // Signed with the media signing key itself, as a media link's signature is: not a token.
            let mediaKey = try await harness.catalog.mediaSigningKey()
            let claims = Self.base64URL(Data(widened.utf8))
            let mediaSigned =
                "cat1.\(claims)."
                + Self.base64URL(
                    Data(HMAC<SHA256>.authenticationCode(for: Data("cat1.\(claims)".utf8), using: mediaKey)))

            var answers: Set<String> = []
            for bad in [tampered, flipped, expired, otherKey, mediaSigned, "cat1.x.y", "cat1.\(parts[1])"] {
                for uri in ["/v1/recordings", "/v1/recordings/\(ids[1])", "/v1/recordings/\(ids[1])/audio.mp3"] {
                    let (status, body) = try await Self.get(uri, Self.bearer(bad), client: client)
                    #expect(status == .unauthorized, "\(uri)")
                    #expect(!body.contains(bad) && !body.contains("c-2") && !body.contains("expired"), "\(body)")
                    answers.insert(body)
                }
            }
            #expect(answers.count == 1, "forged, altered and expired tokens are told the same: \(answers)")
            #expect(try await Self.get("/v1/recordings", Self.bearer(token), client: client).0 == .ok)
        }
    }

    @Test func mintingTakesAnAPIKeyAndAScopeOfADayAtMost() async throws {
        let harness = try await ServiceHarness()
        // Through the router: a dozen refusals need no socket, and the live client's fixed read timeout has run
        // out on a loaded machine.
        try await harness.app.test(.router) { client in
            let before = Date()
            let good = try await Self.mint(
                #"{"contact_ids": ["c-1"], "conversation_ids": ["v-9"], "permissions": ["read", "delete"], "expires_in": 86400}"#,
                client: client)
            #expect(good.status == .created)
            #expect(good.headers[.contentType] == "application/json")
            #expect(good.headers[.cacheControl] == "no-store")
            let issued = try good.json(Issued.self)
            let expiresAt = try #require(ISO8601DateFormatter().date(from: issued.expiresAt))
            let after = Date()
            #expect(expiresAt >= (before + 86_400).addingTimeInterval(-1) && expiresAt <= after + 86_400)
            let claims = try #require(harness.service.signer.accessTokens.verify(issued.token))
            #expect(claims.scope == RecordingScope(contactIDs: ["c-1"], conversationIDs: ["v-9"]))
            #expect(claims.permissions == [.read, .delete])
            #expect(claims.expiresAt == expiresAt)

            let refused: [(String, String)] = [
                (#"{"contact_ids": ["c-1"], "permissions": ["read"], "expires_in": 86401}"#, "expires_in"),
                (#"{"contact_ids": ["c-1"], "permissions": ["read"], "expires_in": 0}"#, "expires_in"),
                (#"{"contact_ids": ["c-1"], "permissions": ["read"]}"#, "expires_in"),
                (
                    #"{"contact_ids": [], "conversation_ids": [], "permissions": ["read"], "expires_in": 60}"#,
                    "contact_ids"
                ),
                (#"{"permissions": ["read"], "expires_in": 60}"#, "contact_ids"),
                (#"{"contact_ids": ["c-1"], "permissions": ["write"], "expires_in": 60}"#, "write"),
                (#"{"contact_ids": ["c-1"], "permissions": [], "expires_in": 60}"#, "permissions"),
                (#"{"contact_ids": ["c-1"], "permissions": ["read"], "expires_in": 60, "admin": true}"#, "admin"),
                (#"{"contact_ids": "c-1", "permissions": ["read"], "expires_in": 60}"#, "contact_ids"),
                (#"{"contact_ids": [""], "permissions": ["read"], "expires_in": 60}"#, "contact_ids"),
                (#"{"contact_ids": ["c-1"], "permissions": ["read"], "expires_in": true}"#, "expires_in"),
                ("[]", "JSON object"),
            ]
            for (body, named) in refused {
                let response = try await Self.mint(body, client: client)
                #expect(response.status == .badRequest, "\(body)")
                #expect(String(buffer: response.body).contains(named), "\(body): \(String(buffer: response.body))")
            }
            let wide = (0...AccessToken.maximumScopeIDs).map { "\"c-\($0)\"" }.joined(separator: ",")
            let tooWide = try await Self.mint(
                #"{"contact_ids": [\#(wide)], "permissions": ["read"], "expires_in": 60}"#, client: client)
            #expect(tooWide.status == .badRequest)
            let withoutKey = try await Self.mint(
                #"{"contact_ids": ["c-1"], "permissions": ["read"], "expires_in": 60}"#, client: client, headers: [:])
            #expect(withoutKey.status == .unauthorized)
        }
    }

    @Test func twoAPINodesSharingTheSigningKeyAcceptEachOthersTokens() async throws {
        let first = try await ServiceHarness()
        let ids = try await Self.threeCalls(first)
        let second = try await ServiceHarness(sharing: first)
        let stranger = try await ServiceHarness()
        try await first.app.test(.live) { one in
            try await second.app.test(.live) { two in
                try await stranger.app.test(.live) { three in
                    let fromOne = try await Self.token(contacts: ["c-2"], permissions: ["read"], client: one)
                    let fromTwo = try await Self.token(contacts: ["c-3"], permissions: ["read"], client: two)
                    let onTwo = try await two.execute(
                        uri: "/v1/recordings", method: .get, headers: Self.bearer(fromOne))
                    #expect(try onTwo.json(RecordingList.self).recordings.map(\.id) == [ids[1]])
                    let onOne = try await one.execute(
                        uri: "/v1/recordings", method: .get, headers: Self.bearer(fromTwo))
                    #expect(try onOne.json(RecordingList.self).recordings.map(\.id) == [ids[2]])
                    // A link one node signed for a token plays on the other.
                    let (_, body) = try await Self.get("/v1/recordings/\(ids[1])", Self.bearer(fromOne), client: one)
                    let resource = try JSONDecoder().decode(RecordingResource.self, from: Data(body.utf8))
                    #expect(try await Self.get(resource.audioURL, client: two).0 == .ok)
                    // A node with a signing key of its own accepts neither.
                    for token in [fromOne, fromTwo] {
                        #expect(
                            try await Self.get("/v1/recordings", Self.bearer(token), client: three).0 == .unauthorized)
                    }
                }
            }
        }
    }

    @Test func linksLiveAsLongAsAskedAndNeverPastTheToken() async throws {
        let harness = try await ServiceHarness()
        let ids = try await Self.threeCalls(harness)
        try await harness.app.test(.live) { client in
            func resource(_ query: String, _ headers: HTTPFields = ServiceHarness.authorized) async throws
                -> RecordingResource
            {
                let (status, body) = try await Self.get("/v1/recordings/\(ids[0])\(query)", headers, client: client)
                #expect(status == .ok, "\(body)")
                return try JSONDecoder().decode(RecordingResource.self, from: Data(body.utf8))
            }
            func links(_ resource: RecordingResource) throws -> [Int] {
                try [resource.audioURL, resource.playerURL, resource.waveformURL].map(Self.expiry)
            }
            for (query, lifetime) in [("", 6 * 3600), ("?link_ttl=60", 60), ("?link_ttl=604800", 604_800)] {
                // Bounded by the request's own start and end: a loaded machine may take seconds to answer.
                let before = Int(Date().timeIntervalSince1970)
                let expiries = try links(try await resource(query))
                let after = Int(Date().timeIntervalSince1970)
                for expiry in expiries {
                    #expect((before + lifetime...after + lifetime).contains(expiry), "\(query)")
                }
            }
            for bad in ["59", "604801", "ten", "1.5"] {
                let (status, body) = try await Self.get(
                    "/v1/recordings/\(ids[0])?link_ttl=\(bad)", ServiceHarness.authorized, client: client)
                #expect(status == .badRequest)
                #expect(body.contains("link_ttl"))
            }
            // A token's links end with it, however long they are asked to live.
            let response = try await Self.mint(
                #"{"contact_ids": ["c-1"], "permissions": ["read"], "expires_in": 120}"#, client: client)
            let issued = try response.json(Issued.self)
            let tokenExpiry = Int(
                try #require(ISO8601DateFormatter().date(from: issued.expiresAt)).timeIntervalSince1970)
            let scoped = Self.bearer(issued.token)
            #expect(try links(try await resource("?link_ttl=3600", scoped)).allSatisfy { $0 == tokenExpiry })
            #expect(try links(try await resource("?link_ttl=60", scoped)).allSatisfy { $0 < tokenExpiry })
            let listed = try await client.execute(uri: "/v1/recordings", method: .get, headers: scoped)
            #expect(
                try links(try #require(listed.json(RecordingList.self).recordings.first)) == [
                    tokenExpiry, tokenExpiry, tokenExpiry,
                ])
            let search = try await client.execute(uri: "/v1/recordings/search?q=order", method: .get, headers: scoped)
            let hit = try #require(try search.json(SearchResults.self).hits.first)
            #expect(try Self.expiry(of: hit.playerURL) == tokenExpiry)
            // The player page's own links end with the link that opened it.
            let short = try await resource("?link_ttl=60")
            let page = try await Self.get(short.playerURL, client: client)
            #expect(page.0 == .ok)
            let pageLinks = page.1.matches(of: /expires=([0-9]+)/).map { Int($0.1) }
            #expect(!pageLinks.isEmpty && pageLinks.allSatisfy { $0 == (try? Self.expiry(of: short.playerURL)) })
        }
    }

    @Test func aLinkPastItsTimeIsRefusedAndThePlayerSaysSoInChromium() async throws {
        let harness = try await ServiceHarness()
        let ids = try await Self.threeCalls(harness)
        let metadata = try await harness.service.metadata(of: ids[0])
        let past = Date() - 1
        func link(_ path: String, _ variant: String) -> String {
            path + "?"
                + harness.service.signer.query(
                    recording: ids[0], nonce: metadata.mediaNonce, variant: variant, expires: past)
        }
        let expiredPlayer = link("/recordings/\(ids[0])", "player")
        let expiredAudio = link("/v1/recordings/\(ids[0])/audio.mp3", "audio.mp3")
        let live = try await harness.app.test(.router) { client in
            let audio = try await client.execute(uri: expiredAudio, method: .get)
            #expect(audio.status == .forbidden)
            let page = try await client.execute(uri: expiredPlayer, method: .get)
            #expect(page.status == .forbidden)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: page.body).contains("This link has expired"))
            let resource = try await client.execute(
                uri: "/v1/recordings/\(ids[0])?link_ttl=60", method: .get, headers: ServiceHarness.authorized)
            return try resource.json(RecordingResource.self).playerURL
        }
        try await harness.app.test(.live) { client in
            let port = try #require(client.port)
            let output = try await PlayerBrowserTests.runBrowser([
                "--pages", "http://localhost:\(port)\(live)", "http://localhost:\(port)\(expiredPlayer)",
            ])
            struct Seen: Decodable {
                var title: String
                var text: String
                var audioDuration: Double?
            }
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let pages = try decoder.decode([Seen].self, from: Data(output.utf8))
            #expect(pages.count == 2)
            #expect(pages.first?.title == "Call call-1")
            #expect((pages.first?.audioDuration ?? 0) > 2, "the live link plays")
            #expect(pages.last?.title == "This link has expired")
            #expect(pages.last?.text.contains("This recording link has expired or is not valid") == true)
            #expect(pages.last?.audioDuration == nil)
        }
    }

    @Test func refusalsAreLoggedWithoutTheToken() async throws {
        let log = LogLines()
        let harness = try await ServiceHarness(logger: Logger(label: "test") { _ in log })
        let ids = try await Self.threeCalls(harness)
        let metadata = try await harness.service.metadata(of: ids[0])
        try await harness.app.test(.router) { client in
            let token = try await Self.token(contacts: ["c-1"], permissions: ["read"], client: client)
            let expired = harness.service.signer.accessTokens.sign(
                AccessToken(scope: RecordingScope(contactIDs: ["c-1"]), permissions: [.read], expiresAt: Date() - 1))
            let link = harness.service.signer.query(
                recording: ids[0], nonce: metadata.mediaNonce, variant: "player", expires: Date() - 1)
            #expect(try await Self.get("/v1/recordings", Self.bearer(expired), client: client).0 == .unauthorized)
            let deleted = try await client.execute(
                uri: "/v1/recordings/\(ids[0])", method: .delete, headers: Self.bearer(token))
            #expect(deleted.status == .forbidden)
            #expect(try await Self.get("/recordings/\(ids[0])?\(link)", client: client).0 == .forbidden)
            let lines = log.lines
            #expect(lines.contains { $0.contains("401") && $0.contains("the access token is not valid") }, "\(lines)")
            #expect(lines.contains { $0.contains("403") && $0.contains("does not grant delete") }, "\(lines)")
            #expect(lines.contains { $0.contains("player page refused") && $0.contains("expired") }, "\(lines)")
            let linkToken = try #require(link.split(separator: "token=").last.map(String.init))
            for secret in [token, expired, linkToken, ServiceHarness.key] {
                #expect(!lines.contains { $0.contains(secret) }, "a credential reached the log")
            }
        }
    }

    @Test func aTokenIsItsSignedClaimsReadBackExactly() throws {
        let signer = AccessTokenSigner(signingKey: SymmetricKey(size: .bits256))
        let token = AccessToken(
            scope: RecordingScope(contactIDs: ["c-1", "Zoë"], conversationIDs: ["v-1"]),
            permissions: [.read, .transcribe], expiresAt: Date(timeIntervalSince1970: 2_000_000_000.7))
        let text = signer.sign(token)
        let parts = text.split(separator: ".")
        #expect(parts.count == 3 && parts[0] == "cat1")
        let payload = try #require(Self.base64URLDecoded(String(parts[1])))
        #expect(
            String(decoding: payload, as: UTF8.self)
                == #"{"contact_ids":["c-1","Zoë"],"conversation_ids":["v-1"],"expires":2000000000,"permissions":["read","transcribe"]}"#
        )
        #expect(signer.verify(text, now: Date(timeIntervalSince1970: 1_999_999_999)) == token)
        #expect(signer.verify(text, now: Date(timeIntervalSince1970: 2_000_000_000)) == token, "good to its second")
        #expect(signer.verify(text, now: Date(timeIntervalSince1970: 2_000_000_001)) == nil)
        #expect(signer.verify(text + "x", now: Date(timeIntervalSince1970: 0)) == nil)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecoded(_ text: String) -> Data? {
        var text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: text)
    }
}

/// Every line logged through it, with its metadata, kept for the test to read.
final class LogLines: LogHandler, Sendable {
    private let kept = Mutex<[String]>([])
    var lines: [String] { kept.withLock { $0 } }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        kept.withLock { $0.append(([event.message.description] + metadata).joined(separator: " ")) }
    }
}

import AudioCore
import AudioTesting
import CallPrompts
import CallRecordings
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/v1/prompts` against the service: uploads in the formats phones and browsers record become six renditions
/// that decode at their rates (read back through their signed links by ffprobe), one prompt is active per owner
/// and kind and is what the phone system fetches, bad uploads fail with `callaudio prompt`'s reason and leave no
/// file, and deletion leaves nothing.
@Suite struct PromptRoutesTests {
    static let samples = Fixtures.packageRoot.appendingPathComponent("samples")

    /// `codec_name,sample_rate,channels` of each rendition, as ffprobe reads them.
    static let renditions = [
        "prompt-ulaw.wav": "pcm_mulaw,8000,1", "prompt-alaw.wav": "pcm_alaw,8000,1",
        "prompt-8k.wav": "pcm_s16le,8000,1", "prompt-16k.wav": "pcm_s16le,16000,1",
        "prompt.opus": "opus,48000,1", "prompt.mp3": "mp3,16000,1",
    ]

    struct PromptJSON: Decodable {
        var id: String
        var kind: String
        var owner: String
        var name: String
        var status: String
        var error: String?
        var duration: Double?
        var active: Bool
        var files: [String: String]
    }

    struct Problem: Decodable {
        struct Message: Decodable { var message: String }
        var error: Message
    }

    struct RecordingLinkJSON: Decodable {
        var url: String
    }

    struct PromptListJSON: Decodable {
        var prompts: [PromptJSON]
    }

    /// The sample voicemail as `format` (`wav`, `webm` as Chrome records, `m4a` as an iPhone does), encoded by
    /// ffmpeg.
    static func sampleGreeting(_ format: String, in folder: URL) throws -> URL {
        let input = samples.appendingPathComponent("voicemail.flac")
        let output = folder.appendingPathComponent("greeting.\(format)")
        switch format {
        case "m4a": try Fixtures.encodeM4A(input, to: output)
        default:
            let codec = format == "webm" ? ["-c:a", "libopus", "-b:a", "48k"] : ["-c:a", "pcm_s16le"]
            _ = try ExternalTool.output(
                "/usr/bin/ffmpeg",
                ["-hide_banner", "-loglevel", "error", "-y", "-i", input.path] + codec + [output.path])
        }
        return output
    }

    /// Four seconds of the sample voicemail from `start`, as a WAV file named `name`.
    static func shortGreeting(_ name: String, in folder: URL, start: Double = 0) throws -> URL {
        let url = folder.appendingPathComponent(name)
        _ = try ExternalTool.output(
            "/usr/bin/ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-y", "-ss", "\(start)", "-t", "4", "-i",
                samples.appendingPathComponent("voicemail.flac").path, url.path,
            ])
        return url
    }

    static func upload(
        _ file: URL, kind: String = "greeting", owner: String = "u-1", name: String = "Main greeting",
        client: some TestClientProtocol
    ) async throws -> TestResponse {
        var form = Multipart()
        try form.file("file", file)
        form.field("kind", kind)
        form.field("owner", owner)
        form.field("name", name)
        return try await client.execute(uri: "/v1/prompts", method: .post, headers: form.headers, body: form.buffer)
    }

    /// Uploads `file` as a prompt, runs the queued job, and returns the prompt as the API shows it.
    static func readyPrompt(
        _ file: URL, kind: String = "greeting", owner: String = "u-1", harness: ServiceHarness,
        client: some TestClientProtocol
    ) async throws -> PromptJSON {
        let response = try await upload(file, kind: kind, owner: owner, client: client)
        #expect(response.status == .accepted, "\(String(buffer: response.body))")
        let accepted = try response.json(Accepted.self)
        #expect(accepted.status == "queued" && accepted.url == "/v1/prompts/\(accepted.id)")
        try await harness.runJobs()
        let prompt = try await prompt(accepted.id, client: client)
        #expect(prompt.status == "ready", "\(prompt.error ?? "")")
        return prompt
    }

    static func prompt(_ id: String, client: some TestClientProtocol) async throws -> PromptJSON {
        let response = try await client.execute(
            uri: "/v1/prompts/\(id)", method: .get, headers: ServiceHarness.authorized)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try response.json(PromptJSON.self)
    }

    @Test(arguments: ["m4a", "webm", "wav"])
    func aGreetingBecomesReadyWithSixRenditionsAtTheirRates(_ format: String) async throws {
        let harness = try await ServiceHarness()
        let input = try Self.sampleGreeting(format, in: harness.folder)
        try await harness.app.test(.router) { client in
            let prompt = try await Self.readyPrompt(input, harness: harness, client: client)
            #expect(prompt.status == "ready", "\(prompt.error ?? "")")
            #expect(prompt.kind == "greeting" && prompt.owner == "u-1" && prompt.name == "Main greeting")
            #expect(!prompt.active)
            #expect((prompt.duration ?? 0) > 5, "\(prompt.duration ?? 0) s of the sample voicemail")
            #expect(Set(prompt.files.keys) == Set(Self.renditions.keys))
            for (file, stream) in Self.renditions.sorted(by: { $0.key < $1.key }) {
                // The signed link alone opens it, as a browser or a media server would.
                let link = try #require(prompt.files[file])
                let response = try await client.execute(uri: link, method: .get)
                #expect(response.status == .ok, "\(file)")
                #expect(response.headers[.eTag] != nil, "\(file)")
                let copy = harness.folder.appendingPathComponent("fetched-\(format)-\(file)")
                try response.data.write(to: copy)
                #expect(try ffprobe(copy) == stream, "\(file)")
                let partial = try await client.execute(uri: link, method: .get, headers: [.range: "bytes=0-99"])
                #expect(partial.status == .partialContent && partial.body.readableBytes == 100, "\(file)")
            }
            // Decoded at 16 kHz, the rendition lasts what the prompt says.
            let audio = try Fixtures.read(
                harness.folder.appendingPathComponent("fetched-\(format)-prompt-16k.wav"))
            #expect(abs(audio.duration - (prompt.duration ?? 0)) < 0.05)
            #expect(Measure.peakDBFS(audio.samples) <= -3)
        }
    }

    @Test func oneActivePromptPerOwnerAndKindIsWhatThePhoneSystemFetches() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let first = try await Self.readyPrompt(
                try Self.shortGreeting("first.wav", in: harness.folder), harness: harness, client: client)
            let second = try await Self.readyPrompt(
                try Self.shortGreeting("second.wav", in: harness.folder, start: 4), harness: harness, client: client)
            let drop = try await Self.readyPrompt(
                try Self.shortGreeting("drop.wav", in: harness.folder), kind: "drop", harness: harness, client: client)
            let fetch = { (kind: String) in
                try await client.execute(
                    uri: "/v1/prompts/active/u-1/\(kind)/prompt-ulaw.wav", method: .get,
                    headers: ServiceHarness.authorized)
            }
            #expect(try await fetch("greeting").status == .notFound, "none active yet")

            for active in [first, second, first] {
                let response = try await client.execute(
                    uri: "/v1/prompts/\(active.id)/activate", method: .post, headers: ServiceHarness.authorized)
                #expect(response.status == .ok)
                #expect(try response.json(PromptJSON.self).active)
                let listed = try await client.execute(
                    uri: "/v1/prompts?owner=u-1&kind=greeting", method: .get, headers: ServiceHarness.authorized)
                let prompts = try listed.json(PromptListJSON.self).prompts
                #expect(prompts.map(\.id) == [second.id, first.id], "newest first")
                #expect(prompts.filter(\.active).map(\.id) == [active.id])
                // The phone system's fetch is the active prompt's G.711 file, byte for byte.
                let fetched = try await fetch("greeting")
                #expect(fetched.status == .ok)
                #expect(fetched.headers[.contentType] == "audio/wav")
                let own = try await client.execute(
                    uri: try #require(active.files["prompt-ulaw.wav"]), method: .get)
                #expect(fetched.data == own.data)
                let copy = harness.folder.appendingPathComponent("active-\(active.id).wav")
                try fetched.data.write(to: copy)
                #expect(try ffprobe(copy) == "pcm_mulaw,8000,1")
            }
            #expect(try await fetch("drop").status == .notFound, "the drop was never activated")
            #expect(try await Self.prompt(drop.id, client: client).active == false)
            let unknownKind = try await client.execute(
                uri: "/v1/prompts/active/u-1/hold-music/prompt-ulaw.wav", method: .get,
                headers: ServiceHarness.authorized)
            #expect(unknownKind.status == .notFound)

            // Not ready yet: cannot be active.
            let pending = try await Self.upload(
                try Self.shortGreeting("pending.wav", in: harness.folder), client: client)
            let pendingID = try pending.json(Accepted.self).id
            let refused = try await client.execute(
                uri: "/v1/prompts/\(pendingID)/activate", method: .post, headers: ServiceHarness.authorized)
            #expect(refused.status == .conflict, "\(String(buffer: refused.body))")
            #expect(try await fetch("greeting").status == .ok, "the active one stands")
        }
    }

    @Test func deletionLeavesNothingAndNoActivePrompt() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let prompt = try await Self.readyPrompt(
                try Self.shortGreeting("greeting.wav", in: harness.folder), harness: harness, client: client)
            _ = try await client.execute(
                uri: "/v1/prompts/\(prompt.id)/activate", method: .post, headers: ServiceHarness.authorized)
            #expect(try harness.storageListing().contains { $0.hasSuffix("\(prompt.id)/prompt-ulaw.wav") })
            let deleted = try await client.execute(
                uri: "/v1/prompts/\(prompt.id)", method: .delete, headers: ServiceHarness.authorized)
            #expect(deleted.status == .noContent)
            let listing = try harness.storageListing()
            #expect(listing.allSatisfy { !$0.contains(prompt.id) }, "\(listing)")
            for uri in [
                "/v1/prompts/\(prompt.id)", "/v1/prompts/active/u-1/greeting/prompt-ulaw.wav",
                "/v1/prompts/\(prompt.id)/prompt.mp3",
            ] {
                let response = try await client.execute(uri: uri, method: .get, headers: ServiceHarness.authorized)
                #expect(response.status == .notFound, "\(uri)")
            }
            let link = try await client.execute(uri: try #require(prompt.files["prompt.mp3"]), method: .get)
            #expect(link.status == .notFound, "its signed link opens nothing")
            let listed = try await client.execute(
                uri: "/v1/prompts?owner=u-1", method: .get, headers: ServiceHarness.authorized)
            #expect(try listed.json(PromptListJSON.self).prompts.isEmpty)
            let again = try await client.execute(
                uri: "/v1/prompts/\(prompt.id)", method: .delete, headers: ServiceHarness.authorized)
            #expect(again.status == .notFound)
        }
    }

    /// What `callaudio prompt` refuses fails here with its reason, naming the upload as the user named it and no
    /// path of the service, and leaves no file.
    @Test(arguments: ["silence", "clipped", "long disclosure", "not audio"])
    func aBadUploadFailsWithTheReasonAndLeavesNoFile(_ problem: String) async throws {
        let harness = try await ServiceHarness()
        let input = harness.folder.appendingPathComponent("my recording.wav")
        let format = AudioFormat.mono(16_000)
        var kind = "greeting"
        let expected: String
        switch problem {
        case "silence":
            let quiet = SpeechLike.whiteNoise(count: 16_000 * 6, dBFS: -75, seed: 3)
            try Fixtures.write(AudioChunk(format: format, samples: quiet), to: input, as: .pcm16)
            expected = "my recording.wav: is almost all silence"
        case "clipped":
            let loud = Signals.speechLike(seconds: 4, format: format).samples.map { max(-1, min(1, $0 * 8)) }
            try Fixtures.write(AudioChunk(format: format, samples: loud), to: input, as: .float32)
            expected = "my recording.wav: is badly clipped"
        case "long disclosure":
            let talk = SpeechLike.talker(seconds: 20, sampleRate: 16_000, gap: 0.3)
            try Fixtures.write(AudioChunk(format: format, samples: talk.samples), to: input, as: .pcm16)
            kind = "disclosure"
            expected = "a disclosure is at most 15.0 s"
        default:
            try Data("this is a note, not a recording\n".utf8).write(to: input)
            expected = "my recording.wav: "
        }
        let uploadKind = kind
        try await harness.app.test(.router) { client in
            let response = try await Self.upload(input, kind: uploadKind, client: client)
            #expect(response.status == .accepted)
            let id = try response.json(Accepted.self).id
            try await harness.runJobs()
            let prompt = try await Self.prompt(id, client: client)
            #expect(prompt.status == "failed")
            let error = try #require(prompt.error)
            #expect(error.hasPrefix("my recording.wav: ") && error.contains(expected), "\(error)")
            #expect(!error.contains("/"), "no path: \(error)")
            #expect(!error.contains("\n"))
            #expect(prompt.files.isEmpty && prompt.duration == nil)
            let listing = try harness.storageListing()
            #expect(listing.allSatisfy { !$0.contains(id) }, "\(listing)")
        }
    }

    @Test func anUploadThatIsNotAPromptIsRefusedNamingTheField() async throws {
        let harness = try await ServiceHarness()
        let file = try Self.shortGreeting("greeting.wav", in: harness.folder)
        try await harness.app.test(.router) { client in
            for (fields, expected) in [
                (["owner": "u-1", "name": "n"], "kind: missing"),
                (["kind": "hold-music", "owner": "u-1", "name": "n"], "kind: \"hold-music\" is not one of"),
                (["kind": "greeting", "name": "n"], "owner: missing"),
                (["kind": "greeting", "owner": "u-1", "name": "  "], "name: missing"),
                (["kind": "greeting", "owner": "u\u{1b}1", "name": "n"], "owner holds a control character"),
                (["kind": "greeting", "owner": "u-1", "name": "n", "denoise": "off"], "\"denoise\": POST /v1/prompts"),
            ] {
                var form = Multipart()
                try form.file("file", file)
                for (name, value) in fields.sorted(by: { $0.key < $1.key }) { form.field(name, value) }
                let response = try await client.execute(
                    uri: "/v1/prompts", method: .post, headers: form.headers, body: form.buffer)
                #expect(response.status == .badRequest)
                #expect(
                    try response.json(Problem.self).error.message.contains(expected), "\(String(buffer: response.body))"
                )
            }
            for query in ["owner=\(String(repeating: "u", count: 129))", "kind=hold-music", "limit=0", "sort=name"] {
                let listed = try await client.execute(
                    uri: "/v1/prompts?\(query)", method: .get, headers: ServiceHarness.authorized)
                #expect(listed.status == .badRequest, "\(query)")
            }
            var noFile = Multipart()
            for (name, value) in ["kind": "greeting", "owner": "u-1", "name": "n"] { noFile.field(name, value) }
            let missing = try await client.execute(
                uri: "/v1/prompts", method: .post, headers: noFile.headers, body: noFile.buffer)
            #expect(try missing.json(Problem.self).error.message == "file: the prompt's audio is missing")
            // Nothing of the refused uploads was kept.
            #expect(try harness.storageListing().allSatisfy { !$0.hasPrefix("recordings/") || $0 == "recordings" })
            var unauthorized = Multipart()
            try unauthorized.file("file", file)
            var headers = unauthorized.headers
            headers[.authorization] = nil
            let anonymous = try await client.execute(
                uri: "/v1/prompts", method: .post, headers: headers, body: unauthorized.buffer)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func aRecordingLinkOpensItsPageAndSavesWhatItRecords() async throws {
        let harness = try await ServiceHarness()
        let recorded = try Self.sampleGreeting("webm", in: harness.folder)
        try await harness.app.test(.router) { client in
            let url = try await Self.recordingLink(client: client)
            let page = try await client.execute(uri: url, method: .get)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            for button in ["Record", "Stop", "Save"] { #expect(html.contains(">\(button)</button>"), "\(button)") }
            #expect(html.contains("<audio id=\"preview\""))
            #expect(html.contains("Zoë&#39;s &lt;main&gt; greeting"), "the name, escaped")
            #expect(page.headers[.contentSecurityPolicy]?.contains("media-src 'self' blob:") == true)

            // An altered link opens the expired page and saves nothing.
            let altered = url.replacingOccurrences(of: "owner=u-1", with: "owner=u-2")
            #expect(try await client.execute(uri: altered, method: .get).status == .forbidden)
            var form = Multipart()
            try form.file("file", recorded)
            var headers = form.headers
            headers[.authorization] = nil
            #expect(
                try await client.execute(uri: altered, method: .post, headers: headers, body: form.buffer).status
                    == .forbidden)

            // The page's upload becomes a prompt of the owner, kind and name signed into the link.
            let saved = try await client.execute(uri: url, method: .post, headers: headers, body: form.buffer)
            #expect(saved.status == .accepted, "\(String(buffer: saved.body))")
            try await harness.runJobs()
            let prompt = try await Self.prompt(try saved.json(Accepted.self).id, client: client)
            #expect(prompt.status == "ready" && prompt.kind == "greeting" && prompt.owner == "u-1")
            #expect(prompt.name == "Zoë's <main> greeting")
        }
    }

    /// A recording page link for a greeting of `u-1`, through the route.
    static func recordingLink(client: some TestClientProtocol) async throws -> String {
        var headers = ServiceHarness.authorized
        headers[.contentType] = "application/json"
        let body = #"{"owner": "u-1", "kind": "greeting", "name": "Zoë's <main> greeting", "link_ttl": 600}"#
        let response = try await client.execute(
            uri: "/v1/prompts/recording-links", method: .post, headers: headers, body: ByteBuffer(string: body))
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try response.json(RecordingLinkJSON.self).url
    }

    private func ffprobe(_ url: URL) throws -> String {
        try ExternalTool.output(
            "/usr/bin/ffprobe",
            [
                "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate,channels",
                "-of", "csv=p=0", url.path,
            ]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

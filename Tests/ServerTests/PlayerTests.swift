import AudioCore
import AudioTesting
import CallAudioJobs
import CallAudioServer
import CallRecordings
import Foundation
import Hummingbird
import HummingbirdTesting
import Jobs
import Testing

@Suite struct PlayerTests {
    /// Ingests a `seconds`-long two-leg call, processes it, and gives it a transcript as issue 8's engine writes it.
    static func processedCall(_ harness: ServiceHarness, client: some TestClientProtocol, seconds: Double = 3)
        async throws -> RecordingResource
    {
        var form = Multipart()
        let format = AudioFormat.mono(8_000)
        for (index, tone) in [(440.0, seconds), (660.0, seconds - 5)].enumerated() where tone.1 > 0 {
            let url = harness.folder.appendingPathComponent("long-leg\(index + 1).wav")
            try Fixtures.write(
                Signals.sine(tone.0, amplitude: 0.3, seconds: tone.1, format: format), to: url, as: .mulaw)
            try form.file("leg\(index + 1)", url)
        }
        form.field("call_id", "player-\(seconds)")
        if seconds > 5 { form.field("offsets", "2=5") }
        form.field("denoise", "off")
        let accepted = try await client.execute(
            uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
        let id = try accepted.json(Accepted.self).id
        try await harness.runJobs()
        return try await client.execute(uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized)
            .json(RecordingResource.self)
    }

    static func writeTranscript(_ harness: ServiceHarness, id: String) throws {
        let segments = [
            (2.0, "caller", "Hello, I am calling about my order."), (30.0, "agent", "Let me look & see."),
            (60.0, "caller", "It is number <4711>."),
        ]
        let json: [String: Any] = [
            "segments": segments.enumerated().map { index, segment in
                [
                    "start": segment.0, "end": segment.0 + 4, "speaker": segment.1, "leg": index % 2 + 1,
                    "text": segment.2, "confidence": 0.9, "words": [],
                ] as [String: Any]
            }
        ]
        try JSONSerialization.data(withJSONObject: json).write(
            to: harness.storage.appendingPathComponent("recordings/\(id)/call.transcript.json"))
    }

    @Test func thePlayerPageHasTheContractsElementsAndOnlyItsOwnTokenOpensIt() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let resource = try await Self.processedCall(harness, client: client)
            let page = try await client.execute(uri: resource.playerURL, method: .get)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(
                html.contains("<audio id=\"audio\" preload=\"metadata\" src=\"/v1/recordings/\(resource.id)/audio.mp3?")
            )
            for speed in ["0.5x", "1x", "1.5x", "2x"] { #expect(html.contains(">\(speed)</button>")) }
            #expect(html.contains("role=\"slider\""))
            #expect(html.contains(">Generate transcript</button>"))
            #expect(!html.contains("data-start"))

            try Self.writeTranscript(harness, id: resource.id)
            let withTranscript = String(buffer: try await client.execute(uri: resource.playerURL, method: .get).body)
            #expect(
                withTranscript.contains(
                    "<li data-start=\"30.000\"><span class=\"speaker\">agent</span>Let me look &amp; see.</li>"))
            #expect(withTranscript.contains("It is number &lt;4711&gt;."))

            let audioToken = resource.audioURL.components(separatedBy: "?")[1]
            let wrong = try await client.execute(uri: "/recordings/\(resource.id)?\(audioToken)", method: .get)
            #expect(wrong.status == .forbidden)
            let script = try await client.execute(uri: "/player.js", method: .get)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
        }
    }

    @Test func aTranscriptRequestQueuesOneTranscribeJobForTheRecording() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let resource = try await Self.processedCall(harness, client: client)
            func request() async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/recordings/\(resource.id)/transcript", method: .post, headers: ServiceHarness.authorized)
            }
            #expect(try await request().status == .accepted)
            #expect(try await request().status == .accepted, "asking again is harmless")
            let jobs = try await harness.queue.jobs(status: nil, limit: 100).filter {
                $0.kind == JobKind.transcribe.rawValue
            }
            #expect(jobs.count == 1)
            let metadata = try await harness.service.metadata(of: resource.id)
            let parentID = try #require(metadata.jobID)
            let parent = try #require(try await harness.queue.job(parentID))
            if case .transcribe(let recipe)? = try jobs.first?.payload, case .call(let processed) = try parent.payload {
                #expect(recipe.parentJob == parent.id)
                #expect(recipe.call.legs == processed.legs)
                #expect(recipe.call.transcription != nil)
            } else {
                Issue.record("no transcribe job: \(jobs)")
            }
            #expect(metadata.transcriptJobID == jobs.first?.id)
            let after = try await client.execute(
                uri: "/v1/recordings/\(resource.id)", method: .get, headers: ServiceHarness.authorized)
            #expect(try after.json(RecordingResource.self).transcript == "requested")
            try Self.writeTranscript(harness, id: resource.id)
            #expect(try await request().status == .ok)
        }
    }

    /// The page's HTML at `resource`'s player URL.
    static func page(of resource: RecordingResource, client: some TestClientProtocol) async throws -> String {
        let response = try await client.execute(uri: resource.playerURL, method: .get)
        #expect(response.status == .ok)
        return String(buffer: response.body)
    }

    /// What the page's status URL (signed with the player's token) answers.
    static func status(of resource: RecordingResource, client: some TestClientProtocol) async throws
        -> [String: String]
    {
        let token = resource.playerURL.components(separatedBy: "?")[1]
        let response = try await client.execute(uri: "/recordings/\(resource.id)/status?\(token)", method: .get)
        #expect(response.status == .ok)
        #expect(response.headers[.cacheControl] == "no-store")
        let json = try #require(try JSONSerialization.jsonObject(with: response.data) as? [String: Any])
        return json.mapValues { "\($0)" }
    }

    @Test func theCallsDetailsAreShownAsTextOnlyThoseGiven() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let id = try await harness.ingestAndProcess(
                client: client,
                fields: [
                    "direction": "inbound", "from": "+1 (555) 010-0100", "started_at": "2026-12-06T14:12:00Z",
                    "call_status": "no-answer", "handled_by": "u-7", "handled_by_name": "<script>alert(1)</script>",
                    "contact_id": "c&1",
                ])
            let resource = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized
            ).json(RecordingResource.self)
            let html = try await Self.page(of: resource, client: client)
            #expect(html.contains("<dt>Direction</dt><dd>Inbound</dd>"))
            #expect(html.contains("<dt>From</dt><dd>+1 (555) 010-0100</dd>"))
            #expect(html.contains("<dt>Began</dt><dd>6 December 2026, 14:12:00 UTC</dd>"))
            #expect(html.contains("<dt>Call status</dt><dd>No answer</dd>"))
            // The name rather than the id, as text: the page runs no script of the platform's.
            #expect(html.contains("<dt>Handled by</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>"))
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("<dt>Contact</dt><dd>c&amp;1</dd>"))
            #expect(!html.contains("<dt>To</dt>"))
            #expect(!html.contains("<dt>Conversation</dt>"))
            // Still a player.
            #expect(html.contains("<audio id=\"audio\""))
        }
    }

    @Test func aRecordingNotReadySaysHowItStandsOrWhyItFailedAndShowsNoPlayer() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            var form = Multipart()
            for (index, leg) in try harness.legs().enumerated() { try form.file("leg\(index + 1)", leg) }
            form.field("call_id", "waiting")
            form.field("handled_by", "u-9")
            let accepted = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            let id = try accepted.json(Accepted.self).id
            func resource() async throws -> RecordingResource {
                try await client.execute(uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized)
                    .json(RecordingResource.self)
            }
            let playerControls = ["<audio", "id=\"play\"", "role=\"slider\"", "Download MP3", "Transcript</h2>"]

            let queued = try await Self.page(of: try await resource(), client: client)
            #expect(queued.contains("<p id=\"recording-status\" role=\"status\">Processing… (queued)</p>"))
            for control in playerControls { #expect(!queued.contains(control), "\(control)") }
            // With no name given, the user's id says who handled it.
            #expect(queued.contains("<dt>Handled by</dt><dd>u-9</dd>"))
            // The page carries the status it shows, which its script compares with what the status URL answers.
            #expect(
                queued.contains(
                    "data-status=\"{&quot;status&quot;:&quot;queued&quot;,&quot;transcript&quot;:&quot;none&quot;}\""))
            #expect(
                try await Self.status(of: try await resource(), client: client) == [
                    "status": "queued", "transcript": "none",
                ])

            let job = try #require(try await harness.queue.claim(worker: "test", leaseDuration: 60))
            _ = try await harness.queue.heartbeat(
                job.id, worker: "test", leaseDuration: 60, progress: JobProgress(stage: "process", percent: 42))
            let processing = try await Self.page(of: try await resource(), client: client)
            #expect(processing.contains(">Processing… (process, 42%)</p>"))
            for control in playerControls { #expect(!processing.contains(control), "\(control)") }
            #expect(
                try await Self.status(of: try await resource(), client: client)
                    == ["status": "processing", "stage": "process", "progress": "42", "transcript": "none"])

            _ = try await harness.queue.fail(
                job.id, worker: "test",
                failure: JobFailure(code: "badInput", message: "leg1 is not <audio>", isPermanent: true))
            let failed = try await Self.page(of: try await resource(), client: client)
            #expect(
                failed.contains(
                    "<p id=\"recording-status\" role=\"alert\">This recording could not be processed: leg1 is not "
                        + "&lt;audio&gt;</p>"))
            for control in playerControls { #expect(!failed.contains(control), "\(control)") }
            #expect(!failed.contains("Processing…"))
            #expect(
                try await Self.status(of: try await resource(), client: client)
                    == ["status": "failed", "error": "leg1 is not <audio>", "transcript": "none"])

            // The status URL takes the player's own token only.
            let audioToken = try await resource().audioURL.components(separatedBy: "?")[1]
            #expect(
                try await client.execute(uri: "/recordings/\(id)/status?\(audioToken)", method: .get).status
                    == .forbidden)
            #expect(try await client.execute(uri: "/recordings/\(id)/status", method: .get).status == .unauthorized)
        }
    }

    @Test func aFailedTranscriptSaysWhyAndItsTryAgainRunsItAgain() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let processed = try await Self.processedCall(harness, client: client)
            let request = try await client.execute(
                uri: "/v1/recordings/\(processed.id)/transcript", method: .post, headers: ServiceHarness.authorized)
            #expect(request.status == .accepted)
            let job = try #require(try await harness.queue.claim(worker: "test", leaseDuration: 60))
            _ = try await harness.queue.fail(
                job.id, worker: "test",
                failure: JobFailure(code: "rejected", message: "the engine said <no>", isPermanent: true))
            func resource() async throws -> RecordingResource {
                try await client.execute(
                    uri: "/v1/recordings/\(processed.id)", method: .get, headers: ServiceHarness.authorized
                ).json(RecordingResource.self)
            }
            let failed = try await resource()
            #expect(failed.transcript == "failed")
            #expect(failed.transcriptError == "the engine said <no>")
            #expect(
                try await Self.status(of: failed, client: client)
                    == ["status": "ready", "transcript": "failed", "transcript_error": "the engine said <no>"])

            let html = try await Self.page(of: failed, client: client)
            #expect(html.contains("<audio id=\"audio\""), "the audio plays whatever became of its transcript")
            #expect(
                html.contains(
                    "<p id=\"transcript-status\" role=\"alert\">The transcript could not be made: the engine said "
                        + "&lt;no&gt;</p>"))
            let button = try #require(
                html.firstMatch(
                    of: #/<button id="generate-transcript" type="button" data-url="([^"]+)">Try again</button>/#))
            // The button's signed URL, as the browser sends it: no key, and the failed job runs again.
            let retry = try await client.execute(
                uri: String(button.output.1).replacingOccurrences(of: "&amp;", with: "&"), method: .post)
            #expect(retry.status == .accepted)
            #expect(try await resource().transcript == "requested")
            let again = try await Self.page(of: try await resource(), client: client)
            #expect(again.contains("<p id=\"transcript-status\" role=\"status\">Transcribing…</p>"))
            #expect(!again.contains("Try again"))
        }
    }
}

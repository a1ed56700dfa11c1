import AudioTesting
import CallAudio
import CallVoicemail
import CallWebhooks
import Foundation
import Testing

@testable import CallAudioJobs
@testable import Jobs

/// The queue's stored JSON is the format `docs/queue-format.md` documents: every example there reads, what
/// the stores write carries `formatVersion` and no compiler-made keys, and rows written before the format was
/// documented still read.
@Suite struct QueueFormatTests {
    static let document = Fixtures.packageRoot.appendingPathComponent("docs/queue-format.md")

    /// The JSON examples of the document, each with the kind its heading names (`### \`call\` ...`).
    static func examples() throws -> [(kind: JobKind, json: String)] {
        var kind: JobKind?
        var block: [String]?
        var found: [(JobKind, String)] = []
        for line in try String(contentsOf: document, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.hasPrefix("### `") {
                kind = JobKind(rawValue: String(line.dropFirst(5).prefix { $0 != "`" }))
            } else if line == "```json" {
                block = []
            } else if line == "```", let lines = block, let kind {
                found.append((kind, lines.joined(separator: "\n")))
                block = nil
            } else {
                block?.append(String(line))
            }
        }
        return found
    }

    @Test func everyDocumentedRecipeReads() throws {
        let examples = try Self.examples()
        #expect(Set(examples.map(\.kind)) == Set(JobKind.allCases))
        for example in examples {
            let payload = try JobPayload(kind: example.kind, recipeJSON: example.json)
            #expect(payload.kind == example.kind)
            // What reads must write back to the same recipe.
            #expect(try JobPayload(kind: payload.kind, recipeJSON: payload.encodedRecipe()) == payload)
        }
        let emailed = try #require(examples.first { $0.json.contains("\"email\"") })
        guard case .voicemailEmail(let job) = try JobPayload(kind: .voicemail, recipeJSON: emailed.json) else {
            Issue.record("a voicemail recipe with an email key is not an emailed voicemail")
            return
        }
        #expect(job.email.received == Date(timeIntervalSince1970: 1_795_356_720))
        #expect(job.smtp?.url == "smtp://vm@mail.example.com:587")
    }

    @Test func storedJSONIsVersionedWithNoCompilerKeys() throws {
        let call = CallRecipe(legs: [CallRecipe.Leg(path: "/in/a.wav")], outputDirectory: "/out")
        let voicemail = VoicemailRecipe(
            input: "/in/vm.wav", outputDirectory: "/out/vm", to: ["a@example.com"], from: "vm@example.com",
            callerNumber: "+15551234567", received: Date(timeIntervalSince1970: 1_795_875_120.25),
            timeZone: "UTC")
        let payloads: [JobPayload] = [
            .call(call), .voicemail(call), .voicemailEmail(VoicemailEmailJob(email: voicemail)),
            .reencode(EncodeRecipe(input: "/in/a.wav", output: "/out/a.mp3")),
            .transcribe(TranscribeRecipe(call: call, parentJob: 3)),
            .webhook(WebhookDelivery(url: "https://example.com/hook", type: "recording.ready", body: "{}")),
        ]
        for payload in payloads {
            let stored = try payload.encodedRecipe()
            let object = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any])
            #expect(object["formatVersion"] as? Int == 1)
            #expect(!stored.contains("\"_0\""))
            #expect(try JobPayload(kind: payload.kind, recipeJSON: stored) == payload)

            let printed = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
            #expect(printed.contains("\"kind\":\"\(payload.kind.rawValue)\""))
            #expect(!printed.contains("\"_0\""))
        }
        let report = #"{"bytes":10,"completeness":"whole","duration":1,"input":"\/in\/a.wav","output":"\/out\/a.mp3"}"#
        let result = try JobResult(
            outputs: ["/out/a.mp3"], report: .encode(try JobRow.decode(EncodeResult.self, json: report)))
        let storedResult = try JobRow.json(result)
        #expect(storedResult.contains("\"report\":{\"encode\":{"))
        #expect(try JobRow.decode(JobResult.self, json: storedResult) == result)
    }

    @Test func rowsStoredBeforeTheFormatStillRead() throws {
        let recipe = #"{"encoding":{"container":"mp3"},"input":"\/in\/a.wav","output":"\/out\/a.mp3","tags":{}}"#
        #expect(
            try JobPayload(kind: .reencode, recipeJSON: recipe)
                == .reencode(EncodeRecipe(input: "/in/a.wav", output: "/out/a.mp3")))
        let result = #"""
            {"outputs":["\/out\/a.mp3"],"report":{"encode":{"_0":{"bytes":10,"completeness":"whole",
            "duration":1,"input":"\/in\/a.wav","output":"\/out\/a.mp3"}}},"stages":[]}
            """#
        guard case .encode(let encoded)? = try JobRow.decode(JobResult.self, json: result).audioReport else {
            Issue.record("an earlier result's report does not read")
            return
        }
        #expect(encoded.bytes == 10)
        let earlierDate = #"""
            {"email":{"input":"\/in\/vm.wav","outputDirectory":"\/out","to":["a@example.com"],"from":"v@example.com",
            "callerNumber":"1","received":817043520,"timeZone":"UTC","transcribe":false,"bitrate":32,
            "enhancement":{"denoise":"off","denoiseLimit":30,"highPassFilter":true,"echoCancellation":false,"speeds":[]}}}
            """#
        guard case .voicemailEmail(let job) = try JobPayload(kind: .voicemail, recipeJSON: earlierDate) else {
            Issue.record("an earlier emailed voicemail does not read")
            return
        }
        #expect(job.email.received == Date(timeIntervalSinceReferenceDate: 817_043_520))
    }

    @Test func aNewerFormatIsRefusedByName() throws {
        let row = JobRow(
            id: 9, kind: "reencode", recipe: #"{"formatVersion":2,"input":"\/a","output":"\/b"}"#, priority: 0,
            idempotencyKey: nil, status: "queued", attempts: 0, maxAttempts: 5, runAt: 0, leaseWorker: nil,
            leaseExpiresAt: nil, progress: nil, result: nil, failure: nil, createdAt: 0, updatedAt: 0)
        let error = #expect(throws: JobQueueError.self) { try row.makeJob() }
        #expect("\(error!)".contains("job 9"))
        #expect("\(error!)".contains("format version 2; this build reads up to 1"))
    }
}

extension JobPayload {
    /// Reads a recipe as a store's `recipe` column holds it.
    init(kind: JobKind, recipeJSON: String) throws {
        try self.init(kind: kind.rawValue, recipe: JobRow.decode(JSONValue.self, json: recipeJSON))
    }

    /// The recipe as a store's `recipe` column holds it.
    func encodedRecipe() throws -> String {
        try JobRow.json(stampedRecipe())
    }
}

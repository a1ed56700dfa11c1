import AudioCore
import AudioTesting
import CallAudio
import CallAudioJobs
import CallRecordings
import CallWebhooks
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Jobs
import Synchronization
import Testing

@testable import CallAudioServer

/// The findings of the outside campaign against `serve` (issue 20), each with the test that failed before its
/// fix: signed bodies stored before their check, unlimited speed renders, an existence oracle, huge jobs from
/// small requests, personal data left after deletion, and the smaller header findings.
@Suite struct HardeningTests {
    private static let missingID = String(repeating: "0", count: 24)

    /// A router over `harness` with `configure` applied to the usual settings.
    private func app(_ harness: ServiceHarness, _ configure: (inout RecordingServer.Settings) -> Void = { _ in })
        -> some ApplicationProtocol
    {
        var settings = RecordingServer.Settings(
            keys: APIKeys([ServiceHarness.key]), requestSigner: try? WebhookSigner(secret: ServiceHarness.webhookSecret)
        )
        configure(&settings)
        return Application(router: RecordingServer.makeRouter(service: harness.service, settings: settings))
    }

    @Test func aBogusSignedBodyIsRefusedBeforeAnythingIsWritten() async throws {
        let harness = try await ServiceHarness()
        let uploads = harness.storage.appendingPathComponent("uploads")
        let before = try FileManager.default.attributesOfItem(atPath: uploads.path)[.modificationDate] as? Date
        let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1_000_000)
        let bogus: HTTPFields = [
            .contentType: "multipart/form-data; boundary=b", HTTPField.Name("webhook-id")!: "msg_bogus",
            HTTPField.Name("webhook-timestamp")!: "\(Int(Date().timeIntervalSince1970))",
            HTTPField.Name("webhook-signature")!: "v1,\(Data(repeating: 7, count: 32).base64EncodedString())",
        ]
        try await app(harness).test(.router) { client in
            let refused = try await client.execute(uri: "/v1/calls", method: .post, headers: bogus, body: body)
            #expect(refused.status == .unauthorized)
            // Larger than a signed upload may be: refused on its declared length.
            var large = bogus
            large[.contentLength] = "\(17 << 20)"
            let tooLarge = try await client.execute(
                uri: "/v1/calls", method: .post, headers: large, body: ByteBuffer(repeating: 0, count: 17 << 20))
            #expect(tooLarge.status == .contentTooLarge)
        }
        // No staging folder was made and removed: the uploads folder never changed.
        #expect(try FileManager.default.attributesOfItem(atPath: uploads.path)[.modificationDate] as? Date == before)
        #expect(try harness.storageListing() == ["recordings", "uploads"])
    }

    @Test func signedIngestIsOffUnlessConfigured() async throws {
        let harness = try await ServiceHarness()
        var form = Multipart()
        try form.file("file", try harness.legs()[0])
        let body = Data(form.buffer.readableBytesView)
        var signed: HTTPFields = [.contentType: "multipart/form-data; boundary=\(form.boundary)"]
        for header in try WebhookSigner(secret: ServiceHarness.webhookSecret).headers(id: "msg_1", body: body) {
            signed[HTTPField.Name(header.name)!] = header.value
        }
        let headers = signed
        try await app(harness, { $0.requestSigner = nil }).test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/voicemails", method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(response.status == .unauthorized)
        }
    }

    @Test func onlyOfferedSpeedsAreRenderedEachOnceAndNeverHoldOtherMedia() async throws {
        let harness = try await ServiceHarness()
        let gate = DispatchSemaphore(value: 0)
        let renders = Atomic<Int>(0)
        let copies = SpeedCopies { input, speed, output in
            renders.add(1, ordering: .sequentiallyConsistent)
            gate.wait()
            _ = try SpeedRenderer().run(input: input, speed: speed, output: output)
        }
        try await app(harness, { $0.speedCopies = copies }).test(.router) { client in
            let id = try await harness.ingestAndProcess(client: client)
            let other = try await harness.ingestAndProcess(client: client, callID: "4712")
            let folder = harness.storage.appendingPathComponent("recordings/\(id)")
            let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            for speed in ["1.000001", "3", "0.25", "nan", "1.5x"] {
                let refused = try await client.execute(
                    uri: "/v1/recordings/\(id)/audio.mp3?speed=\(speed)", method: .get,
                    headers: ServiceHarness.authorized)
                #expect(refused.status == .badRequest, "\(speed)")
                #expect(String(buffer: refused.body).contains("0.5, 1, 1.5, 2"))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)

            // Two players ask for the 2x copy at once; its render is held until the other recording is served.
            async let first = client.execute(
                uri: "/v1/recordings/\(id)/audio.mp3?speed=2", method: .get, headers: ServiceHarness.authorized)
            async let second = client.execute(
                uri: "/v1/recordings/\(id)/audio.mp3?speed=2", method: .get, headers: ServiceHarness.authorized)
            try await eventually(timeout: .seconds(60), "the render started") {
                renders.load(ordering: .sequentiallyConsistent) == 1
            }
            let served = try await client.execute(
                uri: "/v1/recordings/\(other)/audio.mp3", method: .get, headers: ServiceHarness.authorized)
            #expect(served.status == .ok)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("call-2x.mp3").path))
            gate.signal()
            let (a, b) = try await (first, second)
            #expect(a.status == .ok && b.status == .ok)
            #expect(a.data == b.data)
            #expect(renders.load(ordering: .sequentiallyConsistent) == 1)
            #expect(abs(try Fixtures.read(folder.appendingPathComponent("call-2x.mp3")).duration - 3.5 / 2) < 0.05)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") } == [])
        }
    }

    @Test func aLinkCannotTellWhetherARecordingExists() async throws {
        let harness = try await ServiceHarness()
        try await app(harness).test(.router) { client in
            let id = try await harness.ingestAndProcess(client: client)
            let resource = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized
            ).json(RecordingResource.self)
            let query = try #require(resource.audioURL.split(separator: "?").last)
            let forged = query.replacingOccurrences(of: "token=", with: "token=A")
            let answers = try await [
                "/v1/recordings/\(id)/audio.mp3?\(forged)", "/v1/recordings/\(Self.missingID)/audio.mp3?\(query)",
                "/v1/recordings/\(Self.missingID)/audio.mp3?\(forged)",
            ].asyncMap { uri in try await client.execute(uri: uri, method: .get) }
            #expect(answers.map(\.status) == Array(repeating: .forbidden, count: 3))
            #expect(Set(answers.map { String(buffer: $0.body) }).count == 1)
            // The player's refusal is a page for a person to read, the same page either way.
            let pages = try await ["/recordings/\(id)?\(forged)", "/recordings/\(Self.missingID)?\(query)"].asyncMap {
                uri in try await client.execute(uri: uri, method: .get)
            }
            #expect(pages.map(\.status) == [.forbidden, .forbidden])
            #expect(Set(pages.map { String(buffer: $0.body) }).count == 1)
        }
        // Ids are keyed with the service's secret: not the bare hash of the call id, and another key gives another.
        let bare = SHA256.hash(data: Data("call:4711".utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        let id = harness.service.signer.recordingID(forKey: "4711", kind: "call")
        #expect(RecordingID.isValid(id) && id != bare)
        #expect(MediaSigner(key: SymmetricKey(size: .bits256)).recordingID(forKey: "4711", kind: "call") != id)
    }

    @Test func requestsForHugeCallsAreRefusedNamingTheField() async throws {
        let harness = try await ServiceHarness(limits: IngestLimits(maxLegs: 3, maxCallSeconds: 60))
        let legs = try harness.legs()
        let long = harness.folder.appendingPathComponent("silence.flac")
        try Fixtures.write(AudioChunk.silence(.mono(8_000), frames: 8_000 * 90), to: long, as: .flac)
        try await app(harness).test(.router) { client in
            func post(_ build: (inout Multipart) throws -> Void) async throws -> (HTTPResponse.Status, String) {
                var form = Multipart()
                try build(&form)
                let response = try await client.execute(
                    uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
                return (response.status, String(buffer: response.body))
            }
            let offset = try await post {
                try $0.file("leg1", legs[0])
                try $0.file("leg2", legs[1])
                $0.field("offsets", "2=86400")
            }
            #expect(offset.0 == .badRequest && offset.1.contains("offsets: leg 2 ends 86402 s"), "\(offset.1)")
            let manyLegs = try await post { form in
                for index in 1...4 { try form.file("leg\(index)", legs[0]) }
            }
            #expect(manyLegs.0 == .badRequest && manyLegs.1.contains("leg4: a call takes at most 3 legs"))
            let silence = try await post { try $0.file("leg1", long) }
            #expect(silence.0 == .badRequest && silence.1.contains("leg1: leg 1 ends 90 s"), "\(silence.1)")
            #expect(try harness.storageListing() == ["recordings", "uploads"])
            let accepted = try await post { try $0.file("leg1", legs[0]) }
            #expect(accepted.0 == .accepted)
        }
        // The limit travels with the job, for legs whose length only decoding shows.
        let job = try #require(try await harness.queue.jobs(matching: JobFilter(), limit: 1).first)
        guard case .call(let recipe) = try job.payload else {
            Issue.record("not a call job: \(job.kind)")
            return
        }
        #expect(recipe.maxDuration == 60)
    }

    @Test func deletionLeavesNoPersonalFieldInTheQueueOrItsFile() async throws {
        let harness = try await ServiceHarness(webhookTarget: "http://127.0.0.1:9/hooks")
        let callID = "PBX-CALL-558-PERSONAL"
        try await app(harness).test(.router) { client in
            var form = Multipart()
            try form.file("file", try harness.legs()[0])
            form.field("call_id", callID)
            let accepted = try await client.execute(
                uri: "/v1/voicemails", method: .post, headers: form.headers, body: form.buffer)
            let id = try accepted.json(Accepted.self).id
            // A real worker, so that the job's end is announced (recording.ready) as in production.
            try await harness.withWorker {
                try await eventually(timeout: .seconds(60), "recording.ready queued") {
                    try await harness.queue.jobs(matching: JobFilter(kind: .webhook), limit: 10).contains {
                        String(describing: $0.recipe).contains("recording.ready")
                    }
                }
            }
            let rows = String(describing: try await harness.queue.jobs(matching: JobFilter(), limit: 100))
            #expect(rows.contains(callID))  // the voicemail job, voicemail.received and recording.ready carry it
            let deleted = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .delete, headers: ServiceHarness.authorized)
            #expect(deleted.status == .noContent)
        }
        let jobs = try await harness.queue.jobs(matching: JobFilter(), limit: 100)
        #expect(jobs.count >= 4)
        #expect(!String(describing: jobs).contains(callID))
        for job in jobs { #expect(!String(describing: try await harness.queue.history(of: job.id)).contains(callID)) }
        let database = harness.folder.appendingPathComponent("jobs.db").path
        for file in [database, database + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(bytes.range(of: Data(callID.utf8)) == nil, "\(file) still holds the call id")
        }
    }

    @Test func weakValidatorsMatchAndEveryAnswerSaysNoSniff() async throws {
        let harness = try await ServiceHarness()
        try await app(harness).test(.router) { client in
            let id = try await harness.ingestAndProcess(client: client)
            let audio = try await client.execute(
                uri: "/v1/recordings/\(id)/audio.mp3", method: .get, headers: ServiceHarness.authorized)
            let etag = try #require(audio.headers[.eTag])
            var conditional = ServiceHarness.authorized
            conditional[.ifNoneMatch] = "\"other\", W/\(etag)"
            let notModified = try await client.execute(
                uri: "/v1/recordings/\(id)/audio.mp3", method: .get, headers: conditional)
            #expect(notModified.status == .notModified)
            for (uri, headers) in [
                ("/v1/recordings/\(id)", ServiceHarness.authorized),
                ("/v1/recordings/\(Self.missingID)", ServiceHarness.authorized),
                ("/v1/recordings/\(id)", [:]), ("/v1/recordings/\(id)/audio.mp3", ServiceHarness.authorized),
            ] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri) \(response.status)")
            }
        }
    }

    @Test func theStorageFoldersAreTheServicesAlone() throws {
        try withScratchFolder("private-storage") { scratch throws in
            let folder = scratch.appendingPathComponent("storage")
            let storage = try LocalRecordingStorage(path: folder.path)
            for path in [folder.path, storage.root.appendingPathComponent("recordings").path] {
                let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
                #expect(mode == 0o700, "\(path)")
            }
        }
    }
}

extension Sequence {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var values: [T] = []
        for element in self { values.append(try await transform(element)) }
        return values
    }
}

import AudioTesting
import CallAudioJobs
import CallAudioServer
import CallRecordings
import CallWebhooks
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Jobs
import Testing

@Suite struct SecurityTests {
    /// Uploads a one-leg voicemail (not processed) and returns its id.
    private func ingest(_ harness: ServiceHarness, client: some TestClientProtocol) async throws -> String {
        var form = Multipart()
        try form.file("file", try harness.legs()[0])
        form.field("call_id", "vm-991")
        let response = try await client.execute(
            uri: "/v1/voicemails", method: .post, headers: form.headers, body: form.buffer)
        #expect(response.status == .accepted)
        return try response.json(Accepted.self).id
    }

    @Test func aSignedIngestIsTakenOnceAndForgedReplayedOrStaleOnesGet401AndNoJob() async throws {
        let harness = try await ServiceHarness()
        let signer = try WebhookSigner(secret: ServiceHarness.webhookSecret)
        var form = Multipart()
        try form.file("file", try harness.legs()[0])
        form.field("call_id", "vm-signed")
        let body = Data(form.buffer.readableBytesView)
        let contentType = "multipart/form-data; boundary=\(form.boundary)"
        @Sendable func headers(id: String, signing signed: Data, at now: Date = Date()) -> HTTPFields {
            var fields: HTTPFields = [.contentType: contentType]
            for header in signer.headers(id: id, body: signed, now: now) {
                fields[HTTPField.Name(header.name)!] = header.value
            }
            return fields
        }
        try await harness.app.test(.router) { client in
            func post(_ headers: HTTPFields) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/voicemails", method: .post, headers: headers, body: ByteBuffer(data: body))
            }
            let signed = headers(id: "msg_first", signing: body)
            #expect(try await post(signed).status == .accepted)
            let replayed = try await post(signed)
            #expect(replayed.status == .unauthorized)
            #expect(String(buffer: replayed.body).contains("webhook-id"))
            // A second API node over the same storage knows the message too.
            let otherNode = Application(
                router: RecordingServer.makeRouter(
                    service: harness.service,
                    settings: .init(
                        keys: APIKeys([ServiceHarness.key]), requestSigner: signer)))
            try await otherNode.test(.router) { other in
                let replayedElsewhere = try await other.execute(
                    uri: "/v1/voicemails", method: .post, headers: signed, body: ByteBuffer(data: body))
                #expect(replayedElsewhere.status == .unauthorized)
            }
            var tampered = body
            tampered[tampered.count / 2] ^= 0x01
            #expect(try await post(headers(id: "msg_forged", signing: tampered)).status == .unauthorized)
            #expect(
                try await post(headers(id: "msg_stale", signing: body, at: Date().addingTimeInterval(-301))).status
                    == .unauthorized)
            var otherSecret = headers(id: "msg_other", signing: body)
            otherSecret[HTTPField.Name("webhook-signature")!] = try WebhookSigner(secret: "not the platform's")
                .signature(id: "msg_other", timestamp: Int(Date().timeIntervalSince1970), body: body)
            #expect(try await post(otherSecret).status == .unauthorized)
        }
        #expect(try await harness.queue.jobs(matching: JobFilter(), limit: 10).count == 1)
        #expect(try harness.storageListing().filter { $0.hasPrefix("uploads/") }.isEmpty)
    }

    @Test func withoutAValidKeyEveryAPIRouteAnswers401AndRevealsNothing() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let id = try await ingest(harness, client: client)
            let missing = String(repeating: "0", count: 24)
            var bodies: Set<String> = []
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong"], [.authorization: "Basic dGVzdA=="]] {
                for uri in [
                    "/v1/recordings/\(id)", "/v1/recordings/\(missing)", "/v1/recordings/\(id)/audio.mp3",
                    "/v1/recordings/\(missing)/audio.mp3",
                ] {
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    #expect(response.status == .unauthorized, "\(uri)")
                    bodies.insert(String(buffer: response.body))
                }
                let delete = try await client.execute(uri: "/v1/recordings/\(id)", method: .delete, headers: headers)
                #expect(delete.status == .unauthorized)
                let post = try await client.execute(uri: "/v1/calls", method: .post, headers: headers)
                #expect(post.status == .unauthorized)
            }
            #expect(bodies.count == 1)  // an existing and a missing recording look the same
            #expect(FileManager.default.fileExists(atPath: harness.storage.path + "/recordings/\(id)"))
        }
    }

    @Test func expiredForgedAndOtherRecordingsMediaTokensAreRefused() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let id = try await ingest(harness, client: client)
            let other = try await ingest2(harness, client: client)
            let metadata = try await harness.service.metadata(of: id)
            let otherMetadata = try await harness.service.metadata(of: other)
            let signer = harness.service.signer
            let expired = signer.query(
                recording: id, nonce: metadata.mediaNonce, variant: "waveform.json",
                now: Date().addingTimeInterval(-signer.lifetime - 60))
            let wrongVariant = signer.query(recording: id, nonce: metadata.mediaNonce, variant: "audio.mp3")
            let otherRecording = signer.query(
                recording: other, nonce: otherMetadata.mediaNonce, variant: "waveform.json")
            let valid = signer.query(recording: id, nonce: metadata.mediaNonce, variant: "waveform.json")
            let forged = valid.replacingOccurrences(of: "token=", with: "token=A")
            for query in [expired, wrongVariant, otherRecording, forged] {
                let response = try await client.execute(
                    uri: "/v1/recordings/\(id)/waveform.json?\(query)", method: .get)
                #expect(response.status == .forbidden, "\(query)")
            }
            // The valid token passes the check; the file just is not made yet.
            let response = try await client.execute(uri: "/v1/recordings/\(id)/waveform.json?\(valid)", method: .get)
            #expect(response.status == .notFound)
        }
    }

    private func ingest2(_ harness: ServiceHarness, client: some TestClientProtocol) async throws -> String {
        var form = Multipart()
        try form.file("file", try harness.legs()[1])
        form.field("call_id", "vm-992")
        let response = try await client.execute(
            uri: "/v1/voicemails", method: .post, headers: form.headers, body: form.buffer)
        return try response.json(Accepted.self).id
    }

    @Test func pathsFromRequestsNeverLeaveTheStorageFolder() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let id = try await ingest(harness, client: client)
            // A symlink planted inside the recording's folder, pointing out of storage.
            let secret = harness.folder.appendingPathComponent("secret.txt")
            try Data("secret".utf8).write(to: secret)
            try FileManager.default.createSymbolicLink(
                at: harness.storage.appendingPathComponent("recordings/\(id)/call.txt"), withDestinationURL: secret)
            for uri in [
                "/v1/recordings/\(id)/transcript.txt",
                "/v1/recordings/..%2F..%2F..%2Fsecret.txt/audio.mp3",
                "/v1/recordings/%2e%2e/audio.mp3",
                "/v1/recordings/%2e%2e%2f%2e%2e%2fjobs.db",
                "/v1/recordings/\(id)/..%2F..%2F..%2Fsecret.txt",
                "/v1/recordings/\(id)/%2e%2e%2frecording.json",
                "/v1/recordings/\(id)/recording.json",
                "/v1/recordings/%2Fetc%2Fpasswd/audio.mp3",
            ] {
                let response = try await client.execute(uri: uri, method: .get, headers: ServiceHarness.authorized)
                #expect(response.status == .notFound, "\(uri)")
                #expect(!String(buffer: response.body).contains("secret"))
            }
        }
    }

    @Test func anUploadOverTheLimitIs413AndNothingIsKept() async throws {
        let harness = try await ServiceHarness(maxUploadBytes: 20_000)
        try await harness.app.test(.router) { client in
            var form = Multipart()
            try form.file("leg1", try harness.legs()[0])  // 3 s of 8 kHz mu-law: 24 kB
            form.field("call_id", "big")
            let response = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            #expect(response.status == .contentTooLarge)
            #expect(try harness.storageListing() == ["recordings", "uploads"])
            #expect(try await harness.queue.jobs(status: nil, limit: 10).isEmpty)
        }
    }

    @Test func aBadFieldIsOne400NamingItAndNothingIsKept() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            var form = Multipart()
            try form.file("leg1", try harness.legs()[0])
            form.field("offsets", "3=2.0")
            let response = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("offsets: there is no leg 3"))
            #expect(try harness.storageListing() == ["recordings", "uploads"])
        }
    }
}

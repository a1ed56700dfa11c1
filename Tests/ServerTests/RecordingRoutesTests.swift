import AudioTesting
import CallAudio
import CallAudioJobs
import CallAudioServer
import CallRecordings
import Foundation
import Hummingbird
import HummingbirdTesting
import Jobs
import Testing

@Suite struct RecordingRoutesTests {
    /// Uploads the two-leg call with `call_id`, runs its job, and returns its id.
    private func recording(_ id: String, client: some TestClientProtocol) async throws -> RecordingResource {
        let response = try await client.execute(
            uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized)
        #expect(response.status == .ok)
        return try response.json(RecordingResource.self)
    }

    @Test func anIngestedCallBecomesAReadyRecordingWhoseSignedAudioURLPlaysWithoutCredentials() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            var form = Multipart()
            for (index, leg) in try harness.legs().enumerated() { try form.file("leg\(index + 1)", leg) }
            form.field("call_id", "4711")
            form.field("offsets", "2=1.5")
            let first = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            #expect(first.status == .accepted)
            let accepted = try first.json(Accepted.self)
            #expect(accepted.status == "queued")
            #expect(accepted.url == "/v1/recordings/\(accepted.id)")
            // The same call id again: the same recording, no second folder, no second job.
            let repeatAnswer = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            #expect(try repeatAnswer.json(Accepted.self).id == accepted.id)
            #expect(try harness.storageListing().filter { !$0.contains("/") } == ["recordings", "uploads"])
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: harness.storage.path + "/recordings") == [
                    accepted.id
                ])
            #expect(try await harness.queue.jobs(status: nil, limit: 10).count == 1)

            try await harness.runJobs()
            let resource = try await recording(accepted.id, client: client)
            #expect(resource.status == "ready")
            #expect(abs((resource.duration ?? 0) - 3.5) < 0.05)  // leg 2 ends at 1.5 + 2 s
            #expect(resource.legs.count == 2)
            #expect(resource.outputs.contains("call.mp3"))
            #expect(resource.transcript == "none")

            let audio = try await client.execute(uri: resource.audioURL, method: .get)
            #expect(audio.status == .ok)
            #expect(audio.headers[.contentType] == "audio/mpeg")
            let stored = try Data(
                contentsOf: harness.storage.appendingPathComponent("recordings/\(accepted.id)/call.mp3"))
            #expect(audio.data == stored)
            let waveform = try await client.execute(uri: resource.waveformURL, method: .get)
            #expect(waveform.status == .ok)
            let peaks = try JSONSerialization.jsonObject(with: waveform.data) as? [String: Any]
            #expect(peaks?["channels"] as? Int == 2)
            let decoded = try Fixtures.read(
                harness.storage.appendingPathComponent("recordings/\(accepted.id)/call.mp3"))
            #expect(abs(decoded.duration - 3.5) < 0.05)
        }
    }

    @Test func withAPublicURLEveryURLHandedOutIsAbsolute() async throws {
        let harness = try await ServiceHarness(publicURL: "https://calls.example.com/")
        try await harness.app.test(.router) { client in
            var form = Multipart()
            try form.file("file", try harness.legs()[0])
            let accepted = try await client.execute(
                uri: "/v1/voicemails", method: .post, headers: form.headers, body: form.buffer
            ).json(Accepted.self)
            #expect(accepted.url == "https://calls.example.com/v1/recordings/\(accepted.id)")
            let resource = try await recording(accepted.id, client: client)
            for url in [resource.url, resource.audioURL, resource.playerURL, resource.waveformURL] {
                #expect(url.hasPrefix("https://calls.example.com/"), "\(url)")
            }
            // The signed URL works once its origin is taken off (as the service behind that address sees it).
            try await harness.runJobs()
            let path = String(resource.audioURL.dropFirst("https://calls.example.com".count))
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
        }
    }

    @Test func rangeRequestsAreAnsweredByteForByteAsRFC9110Says() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let id = try await harness.ingestAndProcess(client: client)
            let file = try Data(contentsOf: harness.storage.appendingPathComponent("recordings/\(id)/call.mp3"))
            let length = file.count
            let uri = "/v1/recordings/\(id)/audio.mp3"
            func get(_ extra: HTTPFields) async throws -> TestResponse {
                var headers = ServiceHarness.authorized
                headers.append(contentsOf: extra)
                return try await client.execute(uri: uri, method: .get, headers: headers)
            }
            let whole = try await get([:])
            #expect(whole.status == .ok && whole.data == file)
            #expect(whole.headers[.acceptRanges] == "bytes")
            let etag = try #require(whole.headers[.eTag])
            #expect(etag.hasPrefix("\"") && !etag.hasPrefix("W/"))
            // Last-Modified is the file's time in RFC 9110's IMF-fixdate, read back by an independent parser.
            let parser = DateFormatter()
            parser.locale = Locale(identifier: "en_US_POSIX")
            parser.timeZone = TimeZone(identifier: "GMT")
            parser.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            let lastModified = try #require(whole.headers[.lastModified].flatMap { parser.date(from: $0) })
            let modified = try #require(
                try FileManager.default.attributesOfItem(
                    atPath: harness.storage.appendingPathComponent("recordings/\(id)/call.mp3").path)[.modificationDate]
                    as? Date)
            #expect(lastModified.timeIntervalSince1970 == modified.timeIntervalSince1970.rounded(.down))
            #expect(whole.headers[.contentEncoding] == nil)

            for (range, bytes) in [
                ("bytes=0-1", 0...1), ("bytes=-500", length - 500...length - 1),
                ("bytes=1000-", 1000...length - 1), ("bytes=100-199", 100...199),
            ] {
                let partial = try await get([.range: range])
                #expect(partial.status == .partialContent, "\(range)")
                #expect(partial.headers[.contentRange] == "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(length)")
                #expect(partial.data == file[bytes], "\(range)")
            }
            let pastEnd = try await get([.range: "bytes=\(length)-"])
            #expect(pastEnd.status == .rangeNotSatisfiable)
            #expect(pastEnd.headers[.contentRange] == "bytes */\(length)")

            let stale = try await get([.range: "bytes=0-1", .ifRange: "\"stale\""])
            #expect(stale.status == .ok && stale.data == file)
            let fresh = try await get([.range: "bytes=0-1", .ifRange: etag])
            #expect(fresh.status == .partialContent && fresh.data == file[0...1])
            let several = try await get([.range: "bytes=0-1,10-20"])
            #expect(several.status == .ok && several.data == file)

            let head = try await client.execute(uri: uri, method: .head, headers: ServiceHarness.authorized)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == String(length))

            let download = try await client.execute(
                uri: uri + "?download=1", method: .get, headers: ServiceHarness.authorized)
            #expect(
                download.headers[.contentDisposition]
                    == "attachment; filename=\"call-4711.mp3\"; filename*=UTF-8''call-4711.mp3")
        }
    }

    @Test func aSpeedCopyIsRenderedOnFirstRequestAndKept() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let id = try await harness.ingestAndProcess(client: client)
            let response = try await client.execute(
                uri: "/v1/recordings/\(id)/audio.mp3?speed=1.5", method: .get, headers: ServiceHarness.authorized)
            #expect(response.status == .ok)
            let copy = harness.storage.appendingPathComponent("recordings/\(id)/call-1.5x.mp3")
            #expect(response.data == (try Data(contentsOf: copy)))
            #expect(abs(try Fixtures.read(copy).duration - 3.5 / 1.5) < 0.05)
        }
    }

    @Test func deletingARecordingLeavesNothingOfItAndEveryURLAnswers404() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let id = try await harness.ingestAndProcess(client: client)
            _ = try await client.execute(
                uri: "/v1/recordings/\(id)/audio.mp3?speed=2", method: .get, headers: ServiceHarness.authorized)
            let resource = try await recording(id, client: client)
            #expect(try harness.storageListing().contains("recordings/\(id)/call-2x.mp3"))
            // A transcript asked for: its queued job must keep no trace of the recording either.
            let transcript = try await client.execute(
                uri: "/v1/recordings/\(id)/transcript", method: .post, headers: ServiceHarness.authorized)
            #expect(transcript.status == .accepted)

            let deleted = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .delete, headers: ServiceHarness.authorized)
            #expect(deleted.status == .noContent)
            #expect(try harness.storageListing() == ["recordings", "uploads"])
            let rows = String(describing: try await harness.queue.jobs(status: nil, limit: 10))
            #expect(!rows.contains(id) && !rows.contains(harness.storage.path))
            for uri in [
                resource.url, resource.audioURL, resource.waveformURL, "/v1/recordings/\(id)/audio.mp3?speed=2",
            ] {
                let response = try await client.execute(uri: uri, method: .get, headers: ServiceHarness.authorized)
                #expect(response.status == .notFound, "\(uri)")
            }
            let again = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .delete, headers: ServiceHarness.authorized)
            #expect(again.status == .notFound)
            // The platform may send the same call again: a new recording, processed anew.
            let resubmitted = try await harness.ingestAndProcess(client: client)
            #expect(try await recording(resubmitted, client: client).status == "ready")
        }
    }
}

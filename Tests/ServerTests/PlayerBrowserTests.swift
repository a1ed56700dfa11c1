import AudioTesting
import CallAudioServer
import CallRecordings
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The player in a real browser: Debian's headless Chromium driven by Selenium (tools/player-browser) against
/// a live server holding a real processed call. The screenshot is left as a test artifact in
/// `.build/artifacts/player.png`.
@Suite struct PlayerBrowserTests {

    struct Observed: Decodable {
        /// Where the search hit's `#t=2.5` deep link put the audio: as the audio element, the slider and the clock
        /// say.
        var start: Start
        var duration: Double
        var speedButtons: [String]
        var rates: [String: [Double]]
        var slider: [String: String]
        var afterSeekClick: Double
        var afterSeekValuenow: Double
        var bufferedBeforeClick: [[Double]]
        var rangeRequestsOnLoad: [[RangeOrStatus]]
        var rangeRequestsAfterSeek: [[RangeOrStatus]]
        var afterArrowLeft: Double
        var transcriptStarts: [Double]
        var afterLineClick: Double?
        var download: [RangeOrStatus]
        var muteStates: [[String]]
        var phone: Phone

        struct Start: Decodable {
            var currentTime: Double
            var valuenow: Double
            var time: String
        }

        /// The page on a 390-pixel phone screen.
        struct Phone: Decodable {
            var viewport: Double
            var left: Double
            var right: Double
            var speedRows: Int
        }
    }

    /// A JSON value that is a string or a number (the browser log's pairs mix both).
    enum RangeOrStatus: Decodable, Equatable {
        case text(String)
        case number(Double)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }
    }

    @Test func thePlayerPlaysSeeksChangesSpeedAndDownloadsInChromium() async throws {
        let harness = try await ServiceHarness()
        let screenshot = Fixtures.packageRoot.appendingPathComponent(".build/artifacts/player.png")
        try FileManager.default.createDirectory(
            at: screenshot.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Ingest and processing go through the router directly: on a loaded machine the live test client's fixed
        // 20 s read timeout was once too short for them. Only the browser needs the live server.
        // The page is opened from a search hit: the segment said at 2.5 s, whose player link ends in #t=2.5.
        let (resource, hit) = try await harness.app.test(.router) { client in
            let resource = try await PlayerTests.processedCall(harness, client: client, seconds: 240)
            try PlayerTests.writeTranscript(harness, id: resource.id)
            try await harness.catalog.index(
                [IndexedSegment(start: 2.5, end: 4, speaker: "Agent", text: "What is the order number?")],
                of: resource.id)
            let search = try await client.execute(
                uri: "/v1/recordings/search?q=order%20number", method: .get, headers: ServiceHarness.authorized)
            return (resource, try #require(try search.json(SearchResults.self).hits.first))
        }
        #expect(hit.playerURL.hasSuffix("#t=2.5"), "\(hit.playerURL)")
        try await harness.app.test(.live) { client in
            let port = try #require(client.port)
            // The live server binds the name `localhost`, which resolves to ::1 first where /etc/hosts lists it
            // (a fresh Debian machine): the browser is given the same name, and Chromium tries both loopbacks.
            let output = try await Self.runBrowser(["http://localhost:\(port)\(hit.playerURL)", screenshot.path])
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let observed = try decoder.decode(Observed.self, from: Data(output.utf8))
            let duration = try #require(resource.duration)

            #expect(abs(observed.start.currentTime - 2.5) < 0.05, "\(observed.start)")
            #expect(abs(observed.start.valuenow - 2.5) < 0.05, "\(observed.start)")
            #expect(observed.start.time.hasPrefix("0:02 / "), "\(observed.start)")
            #expect(abs(observed.duration - duration) < 0.050)
            #expect(observed.speedButtons == ["0.5x", "1x", "1.5x", "2x"])
            #expect(observed.rates == ["0.5x": [0.5, 1], "1x": [1, 1], "1.5x": [1.5, 1], "2x": [2, 1]])
            #expect(observed.slider["tabindex"] == "0")
            // The click lands 80% along the bar (30% of its width right of its centre).
            #expect(abs(observed.afterSeekClick - 0.8 * duration) < 0.02 * duration)
            #expect(abs(observed.afterSeekValuenow - observed.afterSeekClick) < 0.01)
            // The browser loads the file by Range requests answered 206; a seek to a part it has not buffered yet
            // asks for that part (Chromium may have buffered a four-minute call whole by then).
            #expect(observed.rangeRequestsOnLoad.contains { Self.isPartial($0, fromZero: true) })
            let target = observed.afterSeekClick
            if !observed.bufferedBeforeClick.contains(where: { $0[0] <= target && target <= $0[1] }) {
                #expect(
                    observed.rangeRequestsAfterSeek.contains { Self.isPartial($0, fromZero: false) },
                    "\(observed.rangeRequestsAfterSeek)")
            }
            #expect(abs(observed.afterArrowLeft - (observed.afterSeekClick - 5)) < 0.01)
            #expect(observed.transcriptStarts == [2, 30, 60])
            #expect(abs((observed.afterLineClick ?? -1) - 30) < 0.01)
            // The mute button shows its state, in its text and to assistive technology.
            #expect(observed.muteStates == [["Mute", "false"], ["Unmute", "true"], ["Mute", "false"]])
            #expect(observed.phone.viewport == 390)
            #expect(observed.phone.left >= 8 && observed.phone.right >= 8, "\(observed.phone)")
            #expect(observed.phone.speedRows == 1)
            #expect(observed.download.first == .number(200))
            #expect(observed.download.dropFirst().first == .text("audio/mpeg"))
            if case .text(let disposition) = observed.download.last {
                #expect(disposition.hasPrefix("attachment; filename=\"call-player-240.0.mp3\""))
            } else {
                Issue.record("no Content-Disposition on the download")
            }
        }
        #expect(((try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0) > 10_000)
    }

    /// True for a (Range header, status) pair answered 206, starting at byte 0 or (`fromZero` false) later.
    static func isPartial(_ pair: [RangeOrStatus], fromZero: Bool) -> Bool {
        guard case .text(let range) = pair.first, case .number(206) = pair.last else { return false }
        return range.hasPrefix("bytes=") && range.hasPrefix("bytes=0-") == fromZero
    }

    /// What a page opened while its transcript was being made showed then and after.
    struct Followed: Decodable {
        var before: String
        /// (start, text) of each transcript line shown at the end.
        var lines: [[RangeOrStatus]]
        var statusAfter: [String]
        /// True when the page the test opened is the page at the end: it was not loaded again.
        var samePage: Bool
    }

    @Test func aTranscriptMadeWhileThePageIsOpenAppearsOnItWithoutAReload() async throws {
        let harness = try await ServiceHarness()
        let speech = harness.folder.appendingPathComponent("spoken.wav")
        _ = try ExternalTool.output("/usr/bin/espeak-ng", ["-w", speech.path, "I would like to cancel my account"])
        let resource = try await harness.app.test(.router) { client in
            var form = Multipart()
            try form.file("leg1", speech)
            form.field("call_id", "spoken")
            form.field("denoise", "off")
            let accepted = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            let id = try accepted.json(Accepted.self).id
            try await harness.runJobs()
            let requested = try await client.execute(
                uri: "/v1/recordings/\(id)/transcript", method: .post, headers: ServiceHarness.authorized)
            #expect(requested.status == .accepted)
            return try await client.execute(
                uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized
            )
            .json(RecordingResource.self)
        }
        let ready = harness.folder.appendingPathComponent("page-open")
        try await harness.app.test(.live) { client in
            let port = try #require(client.port)
            async let output = Self.runBrowser([
                "--follow", "http://localhost:\(port)\(resource.playerURL)", ready.path,
            ])
            try await eventually("the page open, showing the transcript being made") {
                FileManager.default.fileExists(atPath: ready.path)
            }
            // The transcript job runs now, as a worker would, while the page stays open.
            try await harness.runJobs()
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let followed = try decoder.decode(Followed.self, from: Data(try await output.utf8))

            #expect(followed.before == "Transcribing…")
            let file = harness.storage.appendingPathComponent("recordings/\(resource.id)/call.transcript.json")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let segments = try #require(json["segments"] as? [[String: Any]])
            #expect(!segments.isEmpty, "the engine heard nothing in the spoken sentence")
            #expect(followed.lines.count == segments.count, "\(followed.lines)")
            for (line, segment) in zip(followed.lines, segments) {
                if case .number(let start) = line.first, let expected = segment["start"] as? Double {
                    #expect(abs(start - expected) < 0.001)
                } else {
                    Issue.record("no start on \(line)")
                }
                if case .text(let text) = line.last, let expected = segment["text"] as? String {
                    #expect(text.hasSuffix(expected), "\(text)")
                } else {
                    Issue.record("no text on \(line)")
                }
            }
            #expect(followed.statusAfter.isEmpty, "\(followed.statusAfter)")
            #expect(followed.samePage)
        }
    }

    /// Runs tools/player-browser/player_test.py with `arguments` in its pinned environment and returns what it
    /// printed.
    /// Runs `script` of tools/player-browser (the player's, by default) in its pinned Python environment and
    /// returns what it printed.
    static func runBrowser(_ arguments: [String], script: String = "player_test.py") async throws -> String {
        let python =
            try ExternalTool.output(
                "/bin/bash",
                [Fixtures.packageRoot.appendingPathComponent("scripts/python-env.sh").path, "player-browser"])
            + "/bin/python"
        let script = Fixtures.packageRoot.appendingPathComponent("tools/player-browser/\(script)").path
        // Off the pool: the live server's handlers need Swift concurrency's few threads meanwhile.
        return try await offThePool { try ExternalTool.output(python, [script] + arguments) }
    }
}

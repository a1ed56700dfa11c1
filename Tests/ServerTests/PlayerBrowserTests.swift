import AudioTesting
import CallAudioServer
import CallRecordings
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The player in a real browser: Debian's headless Chromium driven by Selenium (tools/player-browser) against
/// a live server holding a real processed four-minute call. The screenshot is left as a test artifact in
/// `.build/artifacts/player.png`.
@Suite struct PlayerBrowserTests {

    struct Observed: Decodable {
        /// Where the page's `#t=2.5` deep link put the audio: as the audio element, the slider and the clock say.
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
        let harness = try ServiceHarness()
        let screenshot = Fixtures.packageRoot.appendingPathComponent(".build/artifacts/player.png")
        try FileManager.default.createDirectory(
            at: screenshot.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Ingest and processing go through the router directly: on a loaded machine the live test client's fixed
        // 20 s read timeout was once too short for them. Only the browser needs the live server.
        let resource = try await harness.app.test(.router) { client in
            let resource = try await PlayerTests.processedCall(harness, client: client, seconds: 240)
            try PlayerTests.writeTranscript(harness, id: resource.id)
            return resource
        }
        try await harness.app.test(.live) { client in
            let port = try #require(client.port)
            // The live server binds the name `localhost`, which resolves to ::1 first where /etc/hosts lists it
            // (a fresh Debian machine): the browser is given the same name, and Chromium tries both loopbacks.
            let output = try await Self.runBrowser(
                url: "http://localhost:\(port)\(resource.playerURL)#t=2.5", screenshot: screenshot)
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

    /// Runs tools/player-browser/player_test.py in its pinned environment and returns what it printed.
    static func runBrowser(url: String, screenshot: URL) async throws -> String {
        let python =
            try ExternalTool.output(
                "/bin/bash",
                [Fixtures.packageRoot.appendingPathComponent("scripts/python-env.sh").path, "player-browser"])
            + "/bin/python"
        let script = Fixtures.packageRoot.appendingPathComponent("tools/player-browser/player_test.py").path
        // Off the pool: the live server's handlers need Swift concurrency's few threads meanwhile.
        return try await offThePool { try ExternalTool.output(python, [script, url, screenshot.path]) }
    }
}

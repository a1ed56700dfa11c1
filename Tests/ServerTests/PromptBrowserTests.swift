import AudioTesting
import CallRecordings
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The prompt recording page in a real browser: Debian's headless Chromium, its fake microphone fed the sample
/// voicemail, records with `MediaRecorder` on the page a recording link opens, previews and saves it; the
/// service makes a ready greeting of it.
@Suite struct PromptBrowserTests {
    struct Observed: Decodable {
        var title: String
        var buttons: [String]
        var disabledAtStart: [String]
        var whileRecording: String
        var preview: Preview
        var afterStop: String
        var afterSave: String
        var promptId: String?

        struct Preview: Decodable {
            var src: String
            var hidden: Bool
        }
    }

    @Test func aGreetingRecordedInChromiumIsSavedAndReady() async throws {
        let harness = try await ServiceHarness()
        // Chromium's fake capture device plays a WAV file into getUserMedia, over and over.
        let microphone = harness.folder.appendingPathComponent("microphone.wav")
        _ = try ExternalTool.output(
            "/usr/bin/ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-y", "-i",
                Fixtures.packageRoot.appendingPathComponent("samples/voicemail.flac").path, "-ar", "48000", "-ac", "1",
                "-c:a", "pcm_s16le", microphone.path,
            ])
        let link = try await harness.app.test(.router) { client in
            try await PromptRoutesTests.recordingLink(client: client)
        }
        let observed = try await harness.app.test(.live) { client in
            let port = try #require(client.port)
            let output = try await PlayerBrowserTests.runBrowser(
                ["http://localhost:\(port)\(link)", microphone.path, "5"], script: "recorder_test.py")
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(Observed.self, from: Data(output.utf8))
        }
        #expect(observed.title == "Record your voicemail greeting")
        #expect(observed.buttons == ["Record", "Stop", "Save"])
        #expect(observed.disabledAtStart == ["Stop", "Save"])
        #expect(observed.whileRecording.hasPrefix("Recording"), "\(observed.whileRecording)")
        #expect(observed.preview.src == "blob" && !observed.preview.hidden, "a preview to play before saving")
        // At least the five seconds the microphone ran (the clicks around them take a little more).
        let recorded = try #require(
            Double(observed.afterStop.dropFirst("Recorded ".count).prefix { $0.isNumber }), "\(observed.afterStop)")
        #expect(recorded >= 5 && recorded < 15, "\(observed.afterStop)")
        #expect(observed.afterSave.hasPrefix("Saved"), "\(observed.afterSave)")
        let id = try #require(observed.promptId)

        // What Chromium recorded (WebM/Opus) was uploaded as it was, and becomes a ready greeting of the owner,
        // kind and name the link was signed for.
        #expect(try harness.storageListing().contains("recordings/\(id)/upload.webm"))
        try await harness.runJobs()
        try await harness.app.test(.router) { client in
            let prompt = try await PromptRoutesTests.prompt(id, client: client)
            #expect(prompt.status == "ready", "\(prompt.error ?? "")")
            #expect(prompt.owner == "u-1" && prompt.kind == "greeting" && prompt.name == "Zoë's <main> greeting")
            #expect(Set(prompt.files.keys) == Set(PromptRoutesTests.renditions.keys))
            // What was recorded of the voicemail, trimmed of little: it speaks from its start. The page rounds what
            // it says to whole seconds (up to 0.5 s off), and the recorder's own start and stop lag its clock.
            let duration = try #require(prompt.duration)
            #expect(duration > 3 && duration <= recorded + 1, "\(duration) s of \(recorded) s recorded")
        }
    }
}

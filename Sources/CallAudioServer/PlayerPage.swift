import CallRecordings
import Foundation

/// The recording player's HTML, rendered on the server: the call's details, then, once the recording is ready,
/// the `<audio>` element on the 1x file (speed by `playbackRate`, so browsers keep the pitch), play/pause, mute,
/// restart, speed buttons, a seek bar drawn from the waveform peaks that follows the ARIA slider pattern, download,
/// and the transcript (or how it stands, or a button to make one); before that, how processing stands or why it
/// failed, and no player. The behaviour is `player.js`; every URL in the page is signed for this recording only.
struct PlayerPage {
    /// What the page shows of the recording: its details, status and transcript status, and why either failed.
    var recording: RecordingResource
    /// `recording`'s `PlayerStatus` JSON, which the script compares with what the status URL answers.
    var status: String
    var audioURL: String
    var downloadURL: String
    var waveformURL: String
    /// Where "Generate transcript" and "Try again" post; nil shows neither (the page's link may not ask).
    var transcriptRequestURL: String?
    var statusURL: String
    var segments: [TranscriptSegments.Segment]?

    var title: String {
        let label = recording.callID ?? recording.id
        return recording.kind == .voicemail ? "Voicemail \(label)" : "Call \(label)"
    }

    var html: String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; padding: 0 1rem; max-width: 60rem; color: #222; }
        #details { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 1rem; }
        #details dt { color: #555; }
        #details dd { margin: 0; overflow-wrap: anywhere; }
        .controls button, .controls a { font: inherit; margin: 0 .25rem .5rem 0; padding: .3rem .7rem; }
        .controls [role="group"] { display: inline-flex; flex-wrap: nowrap; }
        .speed[aria-pressed="true"] { background: #1a5fb4; color: #fff; }
        #seek { position: relative; height: 96px; background: #f2f2f2; cursor: pointer; outline-offset: 2px; }
        #seek canvas { width: 100%; height: 100%; display: block; }
        #time { font-variant-numeric: tabular-nums; margin: .5rem 0; }
        #transcript li { cursor: pointer; padding: .2rem .4rem; list-style: none; }
        #transcript li.current { background: #fff3bf; }
        #transcript .speaker { font-weight: 600; margin-right: .5rem; }
        </style>
        </head>
        <body data-status-url="\(escape(statusURL))" data-status="\(escape(status))">
        <h1>\(escape(title))</h1>
        \(CallDetailsList(details: recording.details).html)
        \(recording.status == "ready" ? playerHTML : stateHTML)
        <script src="/player.js"></script>
        </body>
        </html>

        """
    }

    private var playerHTML: String {
        """
        <audio id="audio" preload="metadata" src="\(escape(audioURL))"></audio>
        <div class="controls">
        <button id="play" type="button" aria-label="Play">Play</button>
        <button id="restart" type="button">Restart</button>
        <button id="mute" type="button" aria-pressed="false">Mute</button>
        <span role="group" aria-label="Speed">
        <button class="speed" type="button" data-rate="0.5" aria-pressed="false">0.5x</button>
        <button class="speed" type="button" data-rate="1" aria-pressed="true">1x</button>
        <button class="speed" type="button" data-rate="1.5" aria-pressed="false">1.5x</button>
        <button class="speed" type="button" data-rate="2" aria-pressed="false">2x</button>
        </span>
        <a id="download" href="\(escape(downloadURL))" download>Download MP3</a>
        </div>
        <div id="seek" role="slider" tabindex="0" aria-label="Seek" aria-valuemin="0" \
        aria-valuemax="\(recording.duration.map { String(format: "%.3f", $0) } ?? "0")" aria-valuenow="0" \
        aria-valuetext="0:00" data-waveform="\(escape(waveformURL))"><canvas></canvas></div>
        <div id="time">0:00</div>
        <p><small>Keys: space play/pause, ←/→ 5 s, J/L 10 s, K pause, M mute, Home/End.</small></p>
        <section id="transcript-section" aria-label="Transcript">
        <h2>Transcript</h2>
        \(transcriptHTML)
        </section>
        """
    }

    /// A recording that is not ready: how far processing has come, or why it failed.
    private var stateHTML: String {
        if recording.status == "failed" {
            return "<p id=\"recording-status\" role=\"alert\">This recording could not be processed: "
                + "\(escape(recording.error ?? "unknown error"))</p>"
        }
        let progress = [
            recording.status == "queued" ? "queued" : recording.stage,
            recording.progress.map { "\(Int($0.rounded()))%" },
        ].compactMap { $0 }
        let detail = progress.isEmpty ? "" : " (\(progress.joined(separator: ", ")))"
        return "<p id=\"recording-status\" role=\"status\">Processing…\(escape(detail))</p>"
    }

    private var transcriptHTML: String {
        if let segments {
            let lines = segments.map { segment in
                let speaker = segment.speaker ?? segment.leg.map { "Leg \($0)" } ?? ""
                return "<li data-start=\"\(String(format: "%.3f", segment.start))\"><span class=\"speaker\">"
                    + "\(escape(speaker))</span>\(escape(segment.text))</li>"
            }
            return "<ol id=\"transcript\">\n" + lines.joined(separator: "\n") + "\n</ol>"
        }
        switch recording.transcript {
        case "requested", "processing":
            return "<p id=\"transcript-status\" role=\"status\">Transcribing…</p>"
        case "failed":
            let failed = """
                <p id="transcript-status" role="alert">The transcript could not be made: \
                \(escape(recording.transcriptError ?? "unknown error"))</p>
                """
            guard let transcriptRequestURL else { return failed }
            return failed + """

                <button id="generate-transcript" type="button" data-url="\(escape(transcriptRequestURL))">\
                Try again</button>
                """
        default:
            guard let transcriptRequestURL else {
                return "<p id=\"transcript-status\" role=\"status\">No transcript.</p>"
            }
            return """
                <button id="generate-transcript" type="button" data-url="\(escape(transcriptRequestURL))">\
                Generate transcript</button>
                <p id="transcript-status" role="status"></p>
                """
        }
    }

    private func escape(_ text: String) -> String { HTMLText.escape(text) }
}

import ArgumentParser
import CallAudio
import CallAudioCLI
import CallTranscription
import Foundation

struct ProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Mix the legs of a finished call into one recording and a JSON report.",
        discussion: """
            Decodes each leg (G.711 mu-law/A-law WAV, PCM or float WAV, FLAC, Ogg/Vorbis, Ogg/Opus, MP3, WebM/Opus, \
            M4A/AAC; any rate, mono or stereo), resamples it, places it on the call's timeline at its offset, mixes \
            the legs (mono, or one leg per stereo channel), limits the peaks and writes DIR/call.mp3 (seek-exact, \
            with an ID3v2 tag) and DIR/call.json. Outputs appear only when complete.

            Example: the agent's leg starts 1.35 s after the caller's:
              callaudio process caller.wav agent.opus --offset 2=1.35 --output out/ --call-id 4711 --roles caller,agent

            A packet capture (pcap or pcapng; Ethernet/VLAN, Linux cooked, raw IP or loopback; IPv4/IPv6) is \
            expanded into one leg per RTP stream, each placed by its first packet's capture time: codecs from the \
            capture's SIP/SDP (PCMU, PCMA, G.722, Opus), loss concealed, DTMF digits, clock drift (ppm, \
            corrected) and skipped streams (SRTP, unknown codecs) in the report:
              callaudio process call.pcap --output out/ --layout stereo

            Exit status: 0 on success, 64 for bad options, 65 for unusable input, 73 when an output cannot be written.
            """)

    @OptionGroup var call: ProcessOptions

    @Flag(help: "Print the report as JSON on standard output instead of a summary.")
    var json = false

    @Flag(help: "Also write DIR/call.transcript.json, call.vtt, call.srt and call.txt (after the audio).")
    var transcribe = false

    @OptionGroup(title: "Transcription (with --transcribe)") var transcription: TranscriptionOptions

    func run() throws {
        var report = try runReportingErrors { try CallProcessor().run(call.makeRecipe()) }
        if transcribe { report = try transcribed(report) }
        if json {
            print(try JSONText.encode(report))
            return
        }
        for output in report.outputs {
            print("\(output.path): \(Summary.duration(output.duration)), \(Summary.bytes(output.bytes))")
        }
        for (index, leg) in report.legs.enumerated() {
            let partial = leg.completeness == .partial ? ", PARTIAL (file ends early)" : ""
            print(
                "  leg \(index + 1)\(leg.role.map { " (\($0))" } ?? ""): \(leg.path) — \(leg.format), \(leg.sampleRate) Hz, "
                    + "\(Summary.duration(leg.duration)) from \(String(format: "%.3f", leg.offset)) s, "
                    + "peak \(String(format: "%.1f", leg.peakDBFS)) dBFS, RMS \(String(format: "%.1f", leg.rmsDBFS)) dBFS\(partial)"
            )
            if let enhancement = leg.enhancement { print("    \(Summary.enhancement(enhancement))") }
        }
        if let transcript = report.transcript {
            print(
                "\(transcript.json): \(transcript.wordCount) words by \(transcript.engine) (\(transcript.model)), "
                    + String(format: "%.1fx realtime", transcript.speed))
        }
    }
}

extension ProcessCommand {
    /// The report once the call's transcript is written beside its audio.
    func transcribed(_ report: CallReport) throws -> CallReport {
        let transcriber = try transcription.makeCallTranscriber()
        let progress = TranscriptionProgress()
        defer { progress.end() }
        return try runReportingTranscriptionErrors {
            try transcriber.transcribe(call.makeRecipe(), report: report, progress: progress.show)
        }
    }
}

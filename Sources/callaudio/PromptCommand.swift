import ArgumentParser
import CallAudio
import CallAudioCLI
import CallPrompts
import Foundation

extension PromptKind: ExpressibleByArgument {}

/// `callaudio prompt`: an uploaded or browser-recorded greeting, voicemail drop or disclosure made ready for
/// the phone network.
struct PromptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Prepare a greeting, voicemail drop or recording disclosure for playout on calls.",
        discussion: """
            Reads anything libsndfile reads, WebM/Opus as Chrome and Firefox record it, and M4A/MP4 (AAC) as \
            iPhones and Safari record it. The prompt is made mono, rumble-filtered and noise-suppressed, trimmed \
            (speech within 100 ms of the start, 250 ms kept at the end), and levelled to -22 dBov active speech \
            (ITU-T P.56) with peaks at or below -3 dBFS. Written side by side in DIR, all together or none: \
            prompt-ulaw.wav and prompt-alaw.wav (8 kHz G.711), prompt-8k.wav and prompt-16k.wav (16-bit PCM), \
            prompt.opus (48 kHz Ogg/Opus, for WebRTC calls), prompt.mp3 (16 kHz, to preview in a browser), and \
            prompt.json (duration, active level, peak, clipped samples, share of silence, each rendition).

            A greeting may last 2 minutes, a drop 1 minute, a disclosure 15 seconds. A prompt that is almost all \
            silence, badly clipped or too long is refused with a message that says so (exit 65).

            Example:
              callaudio prompt greeting.webm --kind greeting --output prompts/sales-greeting
            """)

    @Argument(help: "The recorded or uploaded prompt.")
    var input: String

    @Option(help: "What the prompt is for: greeting, drop or disclosure. Example: --kind disclosure")
    var kind: PromptKind

    @Option(help: "The folder to write the renditions into (created when missing). Example: --output prompts/p1")
    var output: String

    @Option(
        help: """
            Noise suppression: off, low, moderate, high, veryhigh (webrtc) or deep (DeepFilterNet3, the default \
            where installed). Example: --denoise high
            """)
    var denoise: NoiseSuppressor.Level?

    @Option(help: "The active speech level to reach, in dBov (-35 to -10). Example: --level -20")
    var level: Double = PromptRecipe.defaultTargetLevel

    @Flag(help: "Print prompt.json instead of a summary.")
    var json = false

    func validate() throws {
        try OptionRange.check(level, in: -35 ... -10, flag: "--level", unit: " dBov")
    }

    func run() throws {
        var enhancement = Enhancement.recommendedHere(for: .prompt)
        if let notice = enhancement.notice, denoise == nil {
            writeErrorLine("\(notice)")
        }
        if let denoise { enhancement.enhancement.denoise = denoise }
        let recipe = PromptRecipe(
            input: input, kind: kind, outputDirectory: output, enhancement: enhancement.enhancement, targetLevel: level)
        let report = try runReportingErrors { try PromptProcessor().run(recipe) }
        if json {
            print(try JSONText.encode(report))
            return
        }
        print(
            "\(output): \(kind.rawValue), \(Summary.duration(report.duration)), active speech "
                + String(
                    format: "%.1f dBov, peak %.1f dBFS, %.0f%% silence", report.activeLevel, report.peakDBFS,
                    report.silenceShare * 100))
        for rendition in report.renditions {
            print(
                "  \(rendition.file): \(rendition.sampleRate) Hz \(rendition.encoding), \(Summary.bytes(rendition.bytes ?? 0))"
            )
        }
    }
}

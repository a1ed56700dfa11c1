import ArgumentParser
import CallAudio
import CallAudioCLI
import Foundation

struct SpeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speed",
        abstract: "Write a recording at another speed with its pitch kept (libsonic).",
        discussion: """
            Reads any format libsndfile reads, WebM/Opus and M4A/AAC, and writes MP3 or WAV, chosen by the \
            output's extension. Speeds from 0.25 (four times as long) to 4 (a quarter of the time); voices keep \
            their pitch. The output lasts the input's duration divided by the rate, to within a few milliseconds.

            Example: callaudio speed call.mp3 --rate 1.5 --output call-1.5x.mp3

            Exit status: 0 on success, 64 for bad options, 65 for unusable input, 73 when the output cannot be written.
            """)

    @Argument(help: "The recording to read.")
    var input: String

    @Option(help: "The speed: 1.5 plays half as fast again, 0.5 at half speed (0.25 to 4).")
    var rate: Double

    @Option(help: "The file to write: .mp3 or .wav.")
    var output: String

    @Option(help: "MP3 constant bit rate in kbit/s (default 32 for mono, 48 for stereo).")
    var bitrate: Int?

    func validate() throws {
        if !TempoChanger.speedRange.contains(rate) { throw ValidationError("--rate must be 0.25 to 4.") }
        if container == nil { throw ValidationError("--output must end in .mp3 or .wav.") }
        if let bitrate, !(8...320).contains(bitrate) { throw ValidationError("--bitrate must be 8 to 320 kbit/s.") }
    }

    private var container: Encoding.Container? {
        Encoding.Container(rawValue: URL(fileURLWithPath: output).pathExtension.lowercased())
    }

    func run() throws {
        let written = try runReportingErrors {
            try SpeedRenderer().run(
                input: input, speed: rate, output: output,
                encoding: Encoding(container: container ?? .mp3, bitrate: bitrate))
        }
        print("\(written.path): \(Summary.duration(written.duration)), \(Summary.bytes(written.bytes))")
    }
}

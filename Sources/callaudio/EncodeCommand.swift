import ArgumentParser
import CallAudio
import CallAudioCLI
import Foundation

struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Re-encode recordings (files and folders, recursively) on every core.",
        discussion: """
            Each folder's tree is mirrored under the output folder (recordings/2024/a.wav becomes \
            DIR/2024/a.mp3); files named directly land at the top of DIR. Outputs that exist and are newer \
            than their input are skipped unless --force, so an interrupted batch resumes where it stopped. \
            One bad file does not stop the rest. Outputs appear only when complete. A packet capture \
            (.pcap, .pcapng) becomes the call it holds: its RTP streams placed by capture time and mixed.

            Example:
              callaudio encode recordings/ --output mp3/ --jobs 8 --bitrate 32

            Exit status: 0 when every file was encoded or skipped, 1 when any failed, 64 for bad options.
            """)

    @Argument(help: "Recordings to re-encode: files, and folders searched recursively for audio files.")
    var inputs: [String]

    @Option(help: "The folder that receives the re-encoded files; created when missing.")
    var output: String

    @Option(help: "How many files to encode at once (default: one per core).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Re-encode even where an output newer than its input exists.")
    var force = false

    @OptionGroup var codec: EncodingOptions

    @Option(help: "Output sample rate in Hz (default: each input's own rate, if the container can store it).")
    var sampleRate: Int?

    @Flag(help: "Print the summary as JSON on standard output instead of progress and a summary line.")
    var json = false

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("Give at least one file or folder to encode.") }
        try OptionRange.check(jobs, in: 1...1_024, flag: "--jobs")
        if output.isEmpty { throw ValidationError("--output must name a folder, not be empty.") }
        if let sampleRate, !(8_000...192_000).contains(sampleRate) {
            throw ValidationError("--sample-rate must be 8000 to 192000 Hz.")
        }
    }

    func run() throws {
        let plan = BatchPlan(
            inputs: inputs, outputDirectory: output,
            encoding: codec.encoding, sampleRate: sampleRate)
        for problem in plan.problems { writeErrorLine("\(problem)") }
        let display = BatchProgressDisplay(total: plan.recipes.count, quiet: json)
        let summary = BatchEncoder(workers: jobs, force: force).run(plan.recipes) { display.show($0) }
        display.finish()
        let failed = summary.failed + plan.problems.count
        if json {
            print(try JSONText.encode(BatchReport(summary: summary, failed: failed)))
        } else {
            print(
                "\(summary.encoded) encoded, \(summary.skipped) skipped, \(failed) failed; "
                    + String(
                        format: "%.2f h of audio in %.1f s, %.0fx realtime", summary.audioSeconds / 3600,
                        summary.elapsedSeconds, summary.realtimeFactor))
        }
        if failed > 0 { throw ExitCode.failure }
    }
}

/// The `--json` summary of a batch.
private struct BatchReport: Encodable {
    var encoded, skipped, failed: Int
    var audioHours, elapsedSeconds, realtimeFactor: Double

    init(summary: BatchEncoder.Summary, failed: Int) {
        encoded = summary.encoded
        skipped = summary.skipped
        self.failed = failed
        audioHours = summary.audioSeconds / 3600
        elapsedSeconds = summary.elapsedSeconds
        realtimeFactor = summary.realtimeFactor
    }
}

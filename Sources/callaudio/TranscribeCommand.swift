import ArgumentParser
import CallAudio
import CallAudioCLI
import CallTranscription
import Foundation

struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Write who said what, and when, for the legs of a call.",
        discussion: """
            Transcribes each leg on its own, only where webrtc's voice detector hears speech, with the leg's \
            role as the speaker, and merges the legs by time (offsets applied). Writes DIR/call.transcript.json \
            (engine, model, language, segments with start, end, speaker, leg, text, confidence, words), \
            DIR/call.vtt (WebVTT with <v Speaker> voice spans), DIR/call.srt and DIR/call.txt \
            ("[00:01:12] Agent: ..." lines). Files appear only when complete.

            With no --transcriber: the server in $CALLAUDIO_TRANSCRIBER_URL when set, else the embedded \
            Moonshine engine where scripts/install-moonshine.sh installed it, else the embedded pocketsphinx \
            engine (a last resort: far less accurate on telephone audio).

            Example: callaudio transcribe caller.wav agent.opus --offset 2=1.35 --roles caller,agent --output out/

            Exit status: 0 on success, 64 for bad options, 65 for unusable input, 69 when the engine is \
            unavailable or answers badly, 73 when an output cannot be written.
            """)

    @Argument(help: "The call's legs, in order (leg 1, leg 2, ...), or recordings such as a call's MP3.")
    var legs: [String]

    @Option(help: "The folder that receives the transcript files; created when missing.")
    var output: String

    @Option(
        name: .customLong("offset"),
        help: ArgumentHelp("When leg N starts, in seconds after leg 1 (N=SECONDS, repeatable).", valueName: "N=SECONDS")
    )
    var offsets: [LegOffset] = []

    @Option(help: "Who speaks on each leg, in leg order, comma-separated (e.g. caller,agent): the speakers' names.")
    var roles: String?

    @Flag(help: "Treat each stereo input as two legs (left, right): a dual-channel recording.")
    var splitChannels = false

    @OptionGroup var engine: TranscriptionOptions

    @Flag(help: "Print the transcript JSON on standard output instead of a summary.")
    var json = false

    func validate() throws {
        if legs.isEmpty { throw ValidationError("Give at least one file to transcribe.") }
        let legCount = splitChannels ? legs.count * 2 : legs.count
        for offset in offsets where !(1...legCount).contains(offset.leg) {
            throw ValidationError(
                "--offset \(offset.leg)=...: there is no leg \(offset.leg) (legs are 1 to \(legCount)).")
        }
    }

    func run() throws {
        let recipeLegs = ProcessOptions.makeLegs(
            files: legs, splitChannels: splitChannels, offsets: offsets, roles: roles)
        let transcriber = try engine.makeCallTranscriber()
        let progress = TranscriptionProgress()
        let transcript = try runReportingTranscriptionErrors {
            try transcriber.transcribe(recipeLegs, progress: progress.show)
        }
        progress.end()
        let files = TranscriptFiles(directory: URL(fileURLWithPath: output).standardizedFileURL.path)
        try runReportingErrors { try files.write(transcript) }
        if json {
            print(try JSONText.encode(transcript))
        } else {
            print("\(files.json): \(transcript.segments.count) segments, \(transcript.wordCount) words")
            print(transcript.plainText, terminator: "")
        }
    }
}

import ArgumentParser
import CallAudio
import CallAudioCLI
import Foundation

/// The `callaudio` command line, the offline audio tool: thin subcommands that build recipes and hand them to
/// the library. The service and the queue are `callaudio-server`'s, so that this tool compiles and links none
/// of their HTTP and database stacks.
@main
struct CallAudioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callaudio",
        abstract: "Turn captured call audio into recordings people can play, download and read.",
        discussion: """
            Decodes call legs in any common format (G.711 WAV, PCM WAV, FLAC, Ogg/Opus, Ogg/Vorbis, MP3, WebM/Opus, \
            M4A/AAC), aligns and mixes them, and writes seek-exact MP3 files with a JSON report. The recording \
            service and the job queue (serve, worker, submit, jobs, delete) are callaudio-server's.
            """,
        subcommands: [
            ProcessCommand.self, EncodeCommand.self, SpeedCommand.self, TranscribeCommand.self, VoicemailCommand.self,
            PromptCommand.self,
        ]
    )

    /// The commands that moved to `callaudio-server`.
    static let movedToServer: Set = ["serve", "worker", "submit", "jobs", "delete", "worker-attempt"]

    static func main() async {
        await runAsProgram { arguments in
            guard let command = arguments.first else { return nil }
            if movedToServer.contains(command) {
                return "\(command) is callaudio-server's now: run callaudio-server \(command) ..."
            }
            if command == "voicemail", arguments.contains(where: { $0 == "--queue" || $0.hasPrefix("--queue=") }) {
                return "voicemail --queue is callaudio-server's now: run callaudio-server voicemail ... --queue ..."
            }
            return nil
        }
    }
}

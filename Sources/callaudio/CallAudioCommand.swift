import ArgumentParser

/// The `callaudio` command line: thin subcommands that build recipes or queue calls and hand them to the library.
@main
struct CallAudioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callaudio",
        abstract: "Turn captured call audio into recordings people can play, download and read.",
        discussion: """
            Decodes call legs in any common format (G.711 WAV, PCM WAV, FLAC, Ogg/Opus, Ogg/Vorbis, MP3, WebM/Opus), \
            aligns and mixes them, and writes seek-exact MP3 files with a JSON report.
            """,
        subcommands: [
            ProcessCommand.self, EncodeCommand.self, SpeedCommand.self, WorkerCommand.self, SubmitCommand.self,
            JobsCommand.self, TranscribeCommand.self, VoicemailCommand.self, PromptCommand.self, ServeCommand.self,
            DeleteCommand.self,
        ]
    )
}

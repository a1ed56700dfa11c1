import ArgumentParser
import CallAudio
import Foundation

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
            DeleteCommand.self, WorkerAttemptCommand.self,
        ]
    )

    /// Parses and runs the command. An error that no command turned into its own exit status is printed as one
    /// `callaudio:` line (never a bare `Error:` or a multi-line dump) and exits 1; usage errors and deliberate
    /// exit statuses stay as ArgumentParser prints them.
    static func main() async {
        if let problem = Self.argumentThatIsNotUTF8() {
            writeErrorLine(problem)
            Foundation.exit(64)
        }
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let error where Self.isArgumentParsers(error) {
            exit(withError: error)
        } catch {
            writeErrorLine(String(describing: error))
            Foundation.exit(1)
        }
    }

    /// The complaint about the first argument that is not valid UTF-8 (a file name in Latin-1, say): Swift would
    /// quietly turn its bad bytes into U+FFFD and then fail to find the file, so it is named here, bytes shown.
    private static func argumentThatIsNotUTF8() -> String? {
        for index in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) == nil else { continue }
            let bytes = UnsafeBufferPointer(start: raw, count: strlen(raw)).map { UInt8(bitPattern: $0) }
            let shown = PrintableText.showing(bytes: bytes)
            return "argument \(index) (\(shown)) is not valid UTF-8; rename the file to a UTF-8 name"
        }
        return nil
    }

    /// Exit statuses, help requests and usage errors, which ArgumentParser prints and exits with itself.
    private static func isArgumentParsers(_ error: any Error) -> Bool {
        error is ExitCode || error is CleanExit || error is ValidationError
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}

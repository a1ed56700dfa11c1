import ArgumentParser
import CallAudioCLI
import Foundation

/// The `callaudio-server` command line: the recording service and the durable job queue (its workers, what is
/// queued, and the one deletion path), each subcommand a thin parser over the libraries.
@main
struct CallAudioServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callaudio-server",
        abstract: "Run the recording service and the job queue that processes calls and voicemails.",
        discussion: """
            serve runs the HTTP API (and, by default, workers); worker runs jobs from a queue shared by any number \
            of machines (SQLite on one, PostgreSQL across many); submit, voicemail --queue and jobs put work in \
            and look at it; recordings lists, searches and deletes the service's recordings; delete is the one \
            deletion path. The offline audio tool is callaudio.
            """,
        subcommands: [
            ServeCommand.self, WorkerCommand.self, SubmitCommand.self, VoicemailQueueCommand.self, JobsCommand.self,
            DeleteCommand.self, RecordingsCommand.self, WorkerAttemptCommand.self,
        ]
    )

    static func main() async {
        await runAsProgram()
    }
}

import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import Foundation
import Jobs

/// `callaudio-server worker-attempt`: runs one attempt of a job for a worker (`IsolatedJobRunner`), which starts it
/// with the conversation on descriptor 3. Not for people: hidden from help.
struct WorkerAttemptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker-attempt", abstract: "Run one attempt of a job for a worker.", shouldDisplay: false)

    @Option(help: "The job's id, so that `ps` shows which job this process runs.")
    var job: Int64

    func run() throws {
        let status = JobAttempt.serve(runner: try WebhookOptions.runner())
        if status != 0 { throw ExitCode(status) }
    }
}

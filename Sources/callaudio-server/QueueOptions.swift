import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import Jobs
import Logging

extension JobKind: ExpressibleByArgument {}
extension JobStatus: ExpressibleByArgument {}

/// `--queue`: where the jobs live, shared by `worker`, `submit` and `jobs`.
struct QueueOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The job queue: sqlite:PATH (one machine; the file is created when missing) or "
                + "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require] (many machines; TLS with "
                + "a verified certificate when sslmode=require). "
                + "Example: --queue sqlite:/var/lib/callaudio/jobs.db",
            valueName: "LOCATION"))
    var queue: String

    func validate() throws {
        do {
            _ = try JobQueueLocation(queue)
        } catch {
            throw ValidationError("--queue \(error)")
        }
    }

    /// Opens the queue, creating or migrating its schema as needed; `readOnly` for commands that only look,
    /// which can then read a queue file they may not write.
    func open(readOnly: Bool = false, logger: Logger = Logger(label: "callaudio.queue")) async throws -> any JobQueue {
        try await JobQueueLocation(queue).open(readOnly: readOnly, logger: logger)
    }
}

/// Runs `body` with the queue open (`readOnly` when it only reads), closing it afterwards whatever happens.
func withQueue<T>(_ options: QueueOptions, readOnly: Bool = false, _ body: (any JobQueue) async throws -> T)
    async throws -> T
{
    let queue = try await options.open(readOnly: readOnly)
    do {
        let value = try await body(queue)
        try await queue.close()
        return value
    } catch {
        try? await queue.close()
        throw error
    }
}

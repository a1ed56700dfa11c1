import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import CallRecordings
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

    /// Opens the queue, creating or migrating its schema (and the recordings' catalog beside it) as needed;
    /// `readOnly` for commands that only look, which can then read a queue file they may not write.
    func open(readOnly: Bool = false, logger: Logger = Logger(label: "callaudio.queue")) async throws -> any JobQueue {
        let location = try JobQueueLocation(queue)
        if readOnly { return try await location.open(readOnly: true, logger: logger) }
        return try await location.openCatalog(logger: logger).queue
    }
}

/// Runs `body` with the queue open (`readOnly` when it only reads), closing it afterwards whatever happens.
func withQueue<T>(_ options: QueueOptions, readOnly: Bool = false, _ body: (any JobQueue) async throws -> T)
    async throws -> T
{
    let queue = try await options.open(readOnly: readOnly)
    return try await closing(queue) { try await body(queue) }
}

/// Runs `body` with the recordings' catalog and its queue open, closing them afterwards whatever happens.
func withCatalog<T>(_ options: QueueOptions, _ body: (any RecordingCatalog) async throws -> T) async throws -> T {
    let catalog = try await JobQueueLocation(options.queue).openCatalog(logger: Logger(label: "callaudio.queue"))
    return try await closing(catalog.queue) { try await body(catalog) }
}

/// Runs `body`, then closes `queue` whether it threw or not.
private func closing<T>(_ queue: any JobQueue, _ body: () async throws -> T) async throws -> T {
    do {
        let value = try await body()
        try await queue.close()
        return value
    } catch {
        try? await queue.close()
        throw error
    }
}

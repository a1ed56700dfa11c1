import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import Foundation
import Jobs

/// `callaudio-server jobs`: looks at and steers the jobs in a queue.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List, show, retry or cancel queued jobs.",
        discussion: """
            Examples:
              callaudio-server jobs list --queue sqlite:jobs.db --status dead
              callaudio-server jobs show 42 --queue sqlite:jobs.db --json
              callaudio-server jobs retry 42 --queue sqlite:jobs.db
              callaudio-server jobs cancel 42 --queue postgres://callaudio@db/callaudio
            """,
        subcommands: [List.self, Show.self, Retry.self, Cancel.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the most recent jobs, newest first.",
            discussion:
                "Example: callaudio-server jobs list --queue sqlite:jobs.db --status dead --kind transcribe --limit 20"
        )

        @OptionGroup var queue: QueueOptions
        @OptionGroup var output: JobOutputOptions

        @Option(
            help:
                "Only jobs in this status: queued, running, retrying, succeeded, dead or cancelled. Example: --status dead"
        )
        var status: JobStatus?

        @Option(
            help: """
                Only jobs of this kind: call, voicemail, reencode, transcribe, webhook or prompt. \
                Example: --kind prompt
                """)
        var kind: JobKind?

        @Option(help: "Only the job with this idempotency key (by default the call id). Example: --key c-1001")
        var key: String?

        @Option(help: "How many jobs to list at most. Example: --limit 100")
        var limit = 50

        func validate() throws { try OptionRange.check(limit, in: 1...100_000, flag: "--limit") }

        func run() async throws {
            let filter = JobFilter(status: status, kind: kind?.rawValue, key: key)
            let jobs = try await withQueue(queue, readOnly: true) { try await $0.jobs(matching: filter, limit: limit) }
            try output.print(jobs, text: jobs.map(JobText.line).joined(separator: "\n"))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one job: its recipe, progress, result or error, and its history.",
            discussion: "Example: callaudio-server jobs show 42 --queue sqlite:jobs.db")

        @Argument(help: "The job id, as `submit` printed it. Example: 42") var id: Int64
        @OptionGroup var queue: QueueOptions
        @OptionGroup var output: JobOutputOptions

        func run() async throws {
            let (job, history) = try await withQueue(queue, readOnly: true) { jobs in
                guard let job = try await jobs.job(id) else { throw ValidationError("There is no job \(id).") }
                return (job, try await jobs.history(of: id))
            }
            try output.print(JobDetail(job: job, history: history), text: JobText.detail(job, history: history))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a dead or cancelled job again, with fresh attempts.",
            discussion: "Example: callaudio-server jobs retry 42 --queue sqlite:jobs.db")

        @Argument(help: "The job id, as `submit` or `jobs list` printed it. Example: 42") var id: Int64
        @OptionGroup var queue: QueueOptions
        @OptionGroup var output: JobOutputOptions

        func run() async throws {
            let job = try await withQueue(queue) { try await $0.retry(id) }
            try output.print(job, text: JobText.line(job))
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a job that has not finished; a running job's worker drops its outcome.",
            discussion: "Example: callaudio-server jobs cancel 42 --queue sqlite:jobs.db")

        @Argument(help: "The job id, as `submit` or `jobs list` printed it. Example: 42") var id: Int64
        @OptionGroup var queue: QueueOptions
        @OptionGroup var output: JobOutputOptions

        func run() async throws {
            let job = try await withQueue(queue) { try await $0.cancel(id) }
            try output.print(job, text: JobText.line(job))
        }
    }
}

/// A job with its history, as `jobs show --json` prints it.
struct JobDetail: Encodable {
    var job: Job
    var history: [JobEvent]
}

/// `--json`: machine-readable output instead of text.
struct JobOutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (dates in ISO 8601) instead of text, for scripts. Example: --json") var json = false

    func print(_ value: some Encodable, text: @autoclosure () -> String) throws {
        if json {
            Swift.print(try JSONText.encode(value))
        } else {
            let text = text()
            if !text.isEmpty { Swift.print(text) }
        }
    }
}

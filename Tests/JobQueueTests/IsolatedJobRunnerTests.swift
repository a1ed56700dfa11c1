import AudioCore
import AudioTesting
import CallAudio
import CallWebhooks
import Foundation
import Synchronization
import Testing

@testable import CallAudioJobs
@testable import Jobs

#if canImport(Glibc)
    import Glibc
#endif

/// Attempts in their own process: the real `callaudio worker-attempt` re-encoding a file, and stand-ins that
/// crash, seen through the runner a worker uses.
struct IsolatedJobRunnerTests {
    let attempts = IsolatedJobRunner(command: [WorkerProcessTests.binary, "worker-attempt"], local: AudioJobRunner())

    /// A re-encode of a 2 s tone into `folder`, as job 7.
    func reencode(in folder: URL) throws -> (job: Job, output: URL) {
        let input = folder.appendingPathComponent("tone.wav")
        try Fixtures.write(
            Signals.sine(440, seconds: 2, format: AudioFormat(sampleRate: 16_000, channelCount: 1)), to: input,
            as: .pcm16)
        let output = folder.appendingPathComponent("out/tone.mp3")
        let request = try JobRequest(payload: .reencode(EncodeRecipe(input: input.path, output: output.path)))
        return (request.makeJob(id: 7, now: Date()), output)
    }

    func run(_ job: Job, with runner: IsolatedJobRunner, progress: JobProgressReporter) async throws -> JobResult {
        try await offThePool { try runner.run(job, progress: progress) }
    }

    /// The failure an attempt ended with, or nil when it succeeded.
    func failure(of job: Job, with runner: IsolatedJobRunner, progress: JobProgressReporter) async -> JobFailure? {
        do {
            _ = try await run(job, with: runner, progress: progress)
            return nil
        } catch {
            return JobFailure(error)
        }
    }

    @Test func anAttemptRunsTheJobAndReportsItsResultAndStages() async throws {
        try await withScratchFolder("callaudio-attempt") { folder async throws in
            let (job, output) = try reencode(in: folder)
            let progress = JobProgressReporter()
            let result = try await run(job, with: attempts, progress: progress)
            #expect(result.outputs == [output.path])
            #expect(abs(try Fixtures.read(output).duration - 2) < 0.1)
            if case .encode(let report)? = try result.audioReport {
                #expect(report.output == output.path)
            } else {
                Issue.record("no encode report: \(String(describing: result.report))")
            }
            #expect(progress.finish().map(\.stage) == ["encode"])
        }
    }

    /// Answers every job in this process, counting them.
    final class InProcess: JobRunner {
        let runs = Atomic<Int>(0)
        func run(_ job: Job, progress: JobProgressReporter) throws -> JobResult {
            runs.add(1, ordering: .sequentiallyConsistent)
            return JobResult(outputs: [])
        }
    }

    @Test func aWebhookDeliveryRunsInTheWorkersProcessAndAudioWorkStillDoesNot() async throws {
        let inProcess = InProcess()
        // No attempt process can start: only work that needs one fails.
        let runner = IsolatedJobRunner(
            command: ["/nonexistent/callaudio-server", "worker-attempt"], local: inProcess,
            inProcessKinds: [JobKind.webhook.rawValue])
        let delivery = try JobRequest(
            payload: .webhook(WebhookDelivery(url: "http://127.0.0.1:9/hooks", type: "recording.ready", body: "{}"))
        ).makeJob(id: 8, now: Date())
        _ = try await run(delivery, with: runner, progress: JobProgressReporter())
        #expect(inProcess.runs.load(ordering: .sequentiallyConsistent) == 1)
        try await withScratchFolder("callaudio-attempt") { folder async throws in
            let audio = try reencode(in: folder).job
            #expect(await failure(of: audio, with: runner, progress: JobProgressReporter()) != nil)
            #expect(inProcess.runs.load(ordering: .sequentiallyConsistent) == 1)
        }
    }

    @Test func anAttemptRefusedAtPublishingLeavesNothing() async throws {
        try await withScratchFolder("callaudio-attempt-refused") { folder async throws in
            let (job, output) = try reencode(in: folder)
            let asked = Counter()
            let progress = JobProgressReporter(confirmLease: {
                asked.increment()
                return false
            })
            let failure = await failure(of: job, with: attempts, progress: progress)
            #expect(failure?.code == AudioError.Code.cancelled.rawValue)
            #expect(asked.value == 1, "the worker was asked once, across the process boundary")
            // Nothing published, and the output folder the run created is gone with its staging folder.
            let left =
                (try? FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)) ?? []
            #expect(left.isEmpty, "\(left)")
        }
    }

    @Test func aCancelledAttemptStopsAndPublishesNothing() async throws {
        try await withScratchFolder("callaudio-attempt-cancelled") { folder async throws in
            let (job, output) = try reencode(in: folder)
            let progress = JobProgressReporter()
            progress.cancellation.cancel()
            let failure = await failure(of: job, with: attempts, progress: progress)
            #expect(failure?.code == AudioError.Code.cancelled.rawValue)
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    @Test func aCrashIsTheAttemptsFailureWithItsSignalAndFatalError() async throws {
        let crashing = IsolatedJobRunner(
            command: [
                "/bin/sh", "-c",
                "echo 'Mixer.swift:12: Fatal error: Double value cannot be converted' >&2; kill -SEGV $$",
            ], local: AudioJobRunner())
        try await withScratchFolder("callaudio-attempt-crash") { folder async throws in
            let failure = await failure(
                of: try reencode(in: folder).job, with: crashing, progress: JobProgressReporter())
            #expect(failure?.code == "crashed")
            #expect(failure?.isPermanent == false, "another attempt may pass (an OOM kill, say)")
            #expect(
                failure?.message
                    == "the process running this attempt crashed with SIGSEGV (Segmentation fault): Fatal error: Double value cannot be converted"
            )
        }
    }

    /// A worker's threads block SIGTERM and more; an attempt must not inherit that, or it could neither be
    /// stopped nor die of its own signals.
    @Test func anAttemptStartsWithNoSignalBlocked() async throws {
        let terminating = IsolatedJobRunner(
            command: ["/bin/sh", "-c", "kill -TERM $$; exec sleep 5"], local: AudioJobRunner())
        try await withScratchFolder("callaudio-attempt-signals") { folder async throws in
            let failure = await failure(
                of: try reencode(in: folder).job, with: terminating, progress: JobProgressReporter())
            #expect(failure?.message == "the process running this attempt crashed with SIGTERM (Terminated)")
        }
    }

    @Test func anAttemptThatEndsWithoutAWordFailsWithItsExitStatus() async throws {
        let silent = IsolatedJobRunner(command: ["/bin/sh", "-c", "exit 3"], local: AudioJobRunner())
        try await withScratchFolder("callaudio-attempt-silent") { folder async throws in
            let failure = await failure(of: try reencode(in: folder).job, with: silent, progress: JobProgressReporter())
            #expect(failure?.message == "the process running this attempt exited with status 3")
        }
    }
}

/// Counts calls from any thread.
private final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

import CallAudio
import CallAudioJobs
import Foundation
import Jobs
import Logging
import ServiceLifecycle

/// Measures the job queue: claim-and-complete throughput of empty jobs per store, and the time the queue adds
/// to a real call-recording job, run in the worker's process and in an attempt process of its own (as
/// `callaudio-server worker` runs it). Run it through `benchmarks/queue-benchmark.sh`, which builds it in release mode
/// and starts a throwaway PostgreSQL server.
///
///     queue-bench QUEUE... [--jobs N] [--workers N] [--call LEG...] [--callaudio PATH]
@main
struct QueueBenchmark {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let jobs = take("--jobs", from: &arguments).flatMap(Int.init) ?? 5_000
        let workers = take("--workers", from: &arguments).flatMap(Int.init) ?? 4
        let legs = takeList("--call", from: &arguments)
        let callaudio = take("--callaudio", from: &arguments)
        let logger = Logger(label: "benchmark")
        for location in arguments {
            let store = location.hasPrefix("sqlite:") ? "SQLite" : "PostgreSQL"
            let queue = try await JobQueueLocation(location).open(logger: logger)
            let rate = try await throughput(queue, jobs: jobs, workers: workers)
            print("| \(store) | empty jobs | \(jobs) | \(workers) | \(String(format: "%.0f", rate)) jobs/s |")
            if !legs.isEmpty {
                var runners: [(String, any JobRunner)] = [("call recording, 1 worker", AudioJobRunner())]
                if let callaudio {
                    runners.append(
                        (
                            "call recording, 1 worker, attempt processes",
                            IsolatedJobRunner(command: [callaudio, "worker-attempt"], local: AudioJobRunner())
                        ))
                }
                for (work, runner) in runners {
                    let overhead = try await overheadPerCall(
                        queue, runner: runner, legs: legs, calls: 20, logger: logger)
                    let ms = { (seconds: Double) in String(format: "%.1f ms", seconds * 1000) }
                    print(
                        "| \(store) | \(work) | 20 | 1 | direct \(ms(overhead.direct)), "
                            + "queued \(ms(overhead.queued)) of which audio \(ms(overhead.runner)): "
                            + "queue overhead \(ms(overhead.queued - overhead.runner))/job |")
                }
            }
            try await queue.close()
        }
    }

    /// Enqueues `jobs` empty jobs, then lets `workers` concurrent claimers claim and complete them all.
    static func throughput(_ queue: any JobQueue, jobs: Int, workers: Int) async throws -> Double {
        let recipe = EncodeRecipe(input: "/dev/null", output: "/dev/null")
        for _ in 0..<jobs { _ = try await queue.enqueue(JobRequest(payload: .reencode(recipe))) }
        let started = ContinuousClock.now
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var count = 0
                    while let job = try await queue.claim(worker: "bench:\(worker)", leaseDuration: 30) {
                        _ = try await queue.succeed(job.id, worker: "bench:\(worker)", result: JobResult(outputs: []))
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        precondition(done == jobs, "completed \(done) of \(jobs)")
        return Double(jobs) / seconds(ContinuousClock.now - started)
    }

    /// Seconds per call run directly; per call run through the queue by a one-worker pool with `runner`, from
    /// enqueue to the last success; and of that, the time the runner spent in the audio work (the rest is the
    /// queue's, and the attempt process's start).
    static func overheadPerCall(
        _ queue: any JobQueue, runner: any JobRunner, legs: [String], calls: Int, logger: Logger
    ) async throws -> (
        direct: Double, queued: Double, runner: Double
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("queue-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        func recipe(_ name: String) -> CallRecipe {
            CallRecipe(
                legs: legs.map { CallRecipe.Leg(path: $0) },
                outputDirectory: folder.appendingPathComponent(name).path)
        }
        let directStart = ContinuousClock.now
        for index in 0..<calls { _ = try CallProcessor().run(recipe("direct-\(index)")) }
        let direct = seconds(ContinuousClock.now - directStart) / Double(calls)

        let pool = WorkerPool(
            queue: queue, runner: runner,
            configuration: .init(workers: 1, leaseDuration: 30, pollInterval: 0.01, gracePeriod: 5), logger: logger)
        let group = ServiceGroup(services: [pool], logger: logger)
        let queuedStart = ContinuousClock.now
        let ids = try await (0..<calls).asyncMap {
            try await queue.enqueue(JobRequest(payload: .call(recipe("queued-\($0)")))).job.id
        }
        async let running: Void = group.run()
        while try await queue.job(ids.last!)?.status != .succeeded {
            try await Task.sleep(for: .milliseconds(20))
        }
        let queued = seconds(ContinuousClock.now - queuedStart) / Double(calls)
        await group.triggerGracefulShutdown()
        try await running
        var runnerSeconds = 0.0
        for id in ids { runnerSeconds += try await queue.job(id)?.result?.stages.reduce(0) { $0 + $1.seconds } ?? 0 }
        return (direct, queued, runnerSeconds / Double(calls))
    }

    static func take(_ flag: String, from arguments: inout [String]) -> String? {
        guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
        defer { arguments.removeSubrange(index...(index + 1)) }
        return arguments[index + 1]
    }

    /// `--call A B`: every argument after the flag up to the next flag.
    static func takeList(_ flag: String, from arguments: inout [String]) -> [String] {
        guard let index = arguments.firstIndex(of: flag) else { return [] }
        let end = arguments[(index + 1)...].firstIndex { $0.hasPrefix("--") } ?? arguments.endIndex
        defer { arguments.removeSubrange(index..<end) }
        return Array(arguments[(index + 1)..<end])
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

extension Range where Bound == Int {
    func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for index in self { results.append(try await transform(index)) }
        return results
    }
}

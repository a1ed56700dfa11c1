import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

@testable import CallAudioJobs
@testable import Jobs

#if canImport(Glibc)
    import Glibc
#endif

/// Real `callaudio-server worker` processes doing real re-encodes against a shared queue: contention, crashes, and the
/// command line a user types.
@Suite(.postgresServer) struct WorkerProcessTests {
    /// The `callaudio-server` binary built beside this test bundle.
    static let binary: String = {
        let beside = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return beside.appendingPathComponent("callaudio-server").path
    }()

    /// Starts `count` worker processes on `location`, logging into `folder`.
    func startWorkers(
        _ count: Int, on location: String, in folder: URL, extra: [String] = [], environment: [String: String] = [:]
    ) throws -> [ChildProcess] {
        try (0..<count).map { index in
            try ChildProcess(
                Self.binary, ["worker", "--queue", location, "--poll-seconds", "0.05"] + extra,
                log: folder.appendingPathComponent("worker-\(index)-\(UUID().uuidString.prefix(4)).log"),
                environment: environment)
        }
    }

    /// Stops workers as an operator would (SIGTERM) and expects a clean exit.
    func stop(_ workers: [ChildProcess]) {
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers { #expect(worker.wait() == 0, "worker \(worker.pid) exit status") }
    }

    static let longInputSeconds = 90.0

    /// A WAV long enough (90 s of 48 kHz stereo) that a worker is caught mid-job: `long.wav` in `folder`.
    static func writeLongInput(in folder: URL) throws -> URL {
        let input = folder.appendingPathComponent("long.wav")
        try Fixtures.write(
            Signals.sine(440, seconds: longInputSeconds, format: AudioFormat(sampleRate: 48_000, channelCount: 2)),
            to: input, as: .pcm16)
        return input
    }

    /// Expects each of `outputs` to decode to the whole long input, and nothing hidden (no temporary file, no
    /// staging folder) left in `folder`.
    static func expectWholeOutputs(_ outputs: [String], in folder: URL) throws {
        for output in outputs {
            let decoded = try Fixtures.read(URL(fileURLWithPath: output))
            #expect(abs(decoded.duration - longInputSeconds) < 0.2, "\(output)")
        }
        let hidden = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(hidden.isEmpty, "left behind: \(hidden)")
    }

    func reencodes(of input: URL, count: Int, into folder: URL, maxAttempts: Int = 5) throws -> [JobRequest] {
        try (0..<count).map { index in
            try JobRequest(
                payload: .reencode(
                    EncodeRecipe(
                        input: input.path, output: folder.appendingPathComponent("\(index).mp3").path)),
                maxAttempts: maxAttempts)
        }
    }

    @Test(arguments: [(StoreKind.sqlite, 2), (.postgres, 4)])
    func everyJobSucceedsExactlyOnceUnderContention(store: StoreKind, processes: Int) async throws {
        try await withScratchFolder("callaudio-contention") { folder async throws in
            let input = folder.appendingPathComponent("tone.wav")
            try Fixtures.write(
                Signals.sine(440, seconds: 0.1, format: AudioFormat(sampleRate: 8_000, channelCount: 1)), to: input,
                as: .pcm16)
            try await store.withQueue { queue, location in
                var ids: [Int64] = []
                for request in try reencodes(of: input, count: 500, into: folder.appendingPathComponent("out")) {
                    ids.append(try await queue.enqueue(request).job.id)
                }
                let workers = try startWorkers(processes, on: location, in: folder, extra: ["--workers", "2"])
                try await eventually(timeout: .seconds(120), "500 jobs succeeded") {
                    try await queue.jobs(status: .succeeded, limit: 1000).count == 500
                }
                stop(workers)
                var claimsByProcess: [String: Int] = [:]
                for id in ids {
                    let history = try await queue.history(of: id)
                    let claims = history.filter { $0.event == "claimed" }
                    #expect(claims.count == 1, "job \(id) claimed \(claims.count) times")
                    #expect(history.filter { $0.event == "succeeded" }.count == 1, "job \(id)")
                    let process = claims.first?.worker?.split(separator: ":").dropLast().joined(separator: ":") ?? "?"
                    claimsByProcess[process, default: 0] += 1
                }
                #expect(claimsByProcess.count == processes, "every process took jobs: \(claimsByProcess)")
                let outputs = try FileManager.default.contentsOfDirectory(
                    atPath: folder.appendingPathComponent("out").path)
                #expect(outputs.filter { $0.hasSuffix(".mp3") && !$0.hasPrefix(".") }.count == 500)
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func killingWorkersMidJobLosesNothing(store: StoreKind) async throws {
        try await withScratchFolder("callaudio-crash") { folder async throws in
            let input = try Self.writeLongInput(in: folder)
            let kills = 20
            // A job can finish between the moment it is seen running and the SIGKILL (more often on a loaded machine):
            // such a kill proves nothing, so the campaign goes on until `kills` kills have landed mid-job, with spare
            // jobs and a bounded number of rounds.
            let jobs = kills + 10
            try await store.withQueue { queue, location in
                let outputFolder = folder.appendingPathComponent("out")
                for request in try reencodes(of: input, count: jobs, into: outputFolder, maxAttempts: 10) {
                    _ = try await queue.enqueue(request)
                }
                let lease = ["--workers", "1", "--lease-seconds", "1"]
                var killedMidJob: [Int64] = []
                for _ in 0..<(3 * kills) where killedMidJob.count < kills {
                    let worker = try #require(try startWorkers(1, on: location, in: folder, extra: lease).first)
                    var held: Job?
                    try await eventually("worker \(worker.pid) holding a job") {
                        held = try await queue.jobs(status: .running, limit: 100).first {
                            $0.lease?.worker.contains(":\(worker.pid):") == true
                        }
                        return held != nil
                    }
                    worker.signal(SIGKILL)
                    worker.wait()
                    let job = try #require(try await queue.job(held!.id))
                    if job.status == .running && job.lease?.worker.contains(":\(worker.pid):") == true {
                        killedMidJob.append(job.id)
                    }
                }
                #expect(killedMidJob.count == kills, "kills that landed while a job ran")
                let survivor = try startWorkers(1, on: location, in: folder, extra: lease)
                try await eventually(timeout: .seconds(600), "every job succeeded") {
                    try await queue.jobs(status: .succeeded, limit: 100).count == jobs
                }
                stop(survivor)
                for id in Set(killedMidJob) {
                    let job = try #require(try await queue.job(id))
                    let claims = try await queue.history(of: id).filter { $0.event == "claimed" }.count
                    #expect(job.attempts >= 2, "job \(id) attempts")
                    #expect(claims == job.attempts, "job \(id): every attempt counted")
                }
                // Each job taken over removed what its killed predecessor left half-written.
                let outputs = try await queue.jobs(status: nil, limit: 100).map {
                    try #require($0.result?.outputs.first)
                }
                try Self.expectWholeOutputs(outputs, in: outputFolder)
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// A job whose every attempt dies (SIGKILL, as the kernel's OOM killer sends it) ends dead with that reason,
    /// while the job running beside it in the same worker finishes on its first attempt and the worker lives on.
    /// (A SIGSEGV sent from outside would not do: the Swift runtime's backtracer catches it on some thread and
    /// lets the job's own thread run on while it symbolicates. `IsolatedJobRunnerTests` covers a trap's signal
    /// and its fatal error line.)
    @Test func aJobThatCrashesEveryAttemptDiesOfItAndCostsItsNeighbourNothing() async throws {
        try await withScratchFolder("callaudio-crashing-job") { folder async throws in
            let input = try Self.writeLongInput(in: folder)
            let outputFolder = folder.appendingPathComponent("out")
            try await StoreKind.sqlite.withQueue { queue, location in
                let requests = try reencodes(of: input, count: 2, into: outputFolder, maxAttempts: 2)
                let crashing = try await queue.enqueue(requests[0]).job.id
                let neighbour = try await queue.enqueue(requests[1]).job.id
                let workers = try startWorkers(1, on: location, in: folder, extra: ["--workers", "2"])
                // Each attempt process is frozen (SIGSTOP) the moment it appears, by a thread of its own started before
                // the attempt can begin (this test's task may wait long for a thread on a busy machine), so that it
                // dies mid-job; the neighbour stays frozen mid-job until both attempts of the other are over.
                let worker = workers[0].pid
                let firstCrashing = Self.startFreezing(job: crashing, of: worker)
                let neighbourAttempt = Self.startFreezing(job: neighbour, of: worker)
                var frozen: [pid_t] = []
                var finished = false
                // A test that fails half-way must leave no worker running and no attempt frozen.
                defer {
                    if !finished {
                        for process in frozen { kill(process, SIGKILL) }
                        for worker in workers {
                            worker.signal(SIGKILL)
                            worker.wait()
                        }
                    }
                }
                for watch in [firstCrashing, neighbourAttempt] {
                    frozen.append(try #require(await watch.wait() ?? nil, "an attempt appeared within 300 s"))
                }
                for attempt in 1...2 {
                    try #require(
                        !FileManager.default.fileExists(atPath: requests[0].reencodeOutput)
                            && !FileManager.default.fileExists(atPath: requests[1].reencodeOutput),
                        "attempt \(attempt): frozen before publishing")
                    kill(frozen[attempt == 1 ? 0 : 2], SIGKILL)
                    if attempt == 1 {
                        let retry = Self.startFreezing(job: crashing, of: worker, notAmong: frozen)
                        frozen.append(try #require(await retry.wait() ?? nil, "the retry appeared within 300 s"))
                    }
                }
                try await eventually(timeout: .seconds(300), "job \(crashing) dead") {
                    try await queue.job(crashing)?.status == .dead
                }
                #expect(try await queue.job(neighbour)?.status == .running, "the neighbour ran beside both crashes")
                kill(frozen[1], SIGCONT)
                try await eventually(timeout: .seconds(300), "both jobs final") {
                    try await [crashing, neighbour].asyncAllSatisfy { try await queue.job($0)?.status.isFinal == true }
                }
                stop(workers)
                finished = true
                let dead = try #require(try await queue.job(crashing))
                #expect(dead.status == .dead)
                #expect(dead.attempts == 2)
                #expect(dead.failure?.code == "crashed")
                #expect(
                    dead.failure?.message == "the process running this attempt crashed with SIGKILL (Killed)",
                    "\(String(describing: dead.failure))")
                let done = try #require(try await queue.job(neighbour))
                #expect(done.status == .succeeded)
                #expect(done.attempts == 1, "the crash cost the neighbour no attempt")
                #expect(!FileManager.default.fileExists(atPath: requests[0].reencodeOutput))
                try Self.expectWholeOutputs([requests[1].reencodeOutput], in: outputFolder)
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Starts watching, from a thread of its own, for an attempt process of job `id` under `worker` that is not
    /// among `earlier`, and stops it (SIGSTOP) the moment it appears; the completion gets its pid (nil after
    /// 300 s). Neither Swift concurrency's pool nor Dispatch's global queue is used: on two cores the suite's
    /// other tests keep both busy for seconds.
    static func startFreezing(job id: Int64, of worker: pid_t, notAmong earlier: [pid_t] = []) -> Completion<pid_t?> {
        let frozen = Completion<pid_t?>()
        Thread.detachNewThread {
            let deadline = ContinuousClock.now + .seconds(300)
            while ContinuousClock.now < deadline {
                if let process = attemptProcess(ofJob: id, of: worker), !earlier.contains(process) {
                    kill(process, SIGSTOP)
                    return frozen.set(process)
                }
                usleep(5_000)
            }
            frozen.set(nil)
        }
        return frozen
    }

    /// The process `worker` runs an attempt of job `id` in (`callaudio worker-attempt --job ID`), found in
    /// /proc. Its parent is checked: other tests' workers run jobs with the same ids on queues of their own.
    static func attemptProcess(ofJob id: Int64, of worker: pid_t) -> pid_t? {
        let wanted = ["worker-attempt", "--job", String(id)].joined(separator: "\0") + "\0"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry),
                let stat = FileManager.default.contents(atPath: "/proc/\(entry)/stat"),
                let afterName = String(decoding: stat, as: UTF8.self).split(separator: ")").last,
                afterName.split(separator: " ").dropFirst().first == Substring(String(worker)),
                let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                String(decoding: command, as: UTF8.self).contains(wanted)
            else { continue }
            return pid
        }
        return nil
    }

    /// The other half of the crash campaign: a worker stopped (SIGSTOP, as a GC pause or a stalled disk would)
    /// past its lease, while another takes the job over and finishes it, then continued (SIGCONT). The job
    /// succeeds once, and the paused worker's attempt publishes nothing over its successor's output.
    @Test(arguments: StoreKind.allCases)
    func aWorkerPausedPastItsLeasePublishesNothingOverItsSuccessor(store: StoreKind) async throws {
        try await withScratchFolder("callaudio-pause") { folder async throws in
            let input = try Self.writeLongInput(in: folder)
            try await store.withQueue { queue, location in
                let lease = ["--workers", "1", "--lease-seconds", "1"]
                // On a busy machine the job may end before the test sees it running and pauses the worker: such a
                // round proves nothing, so another round runs with a fresh job, a bounded number of times (five were
                // once too few in a clean-clone CI run on two busy cores).
                var pausedMidJob: (worker: ChildProcess, job: Int64, outputs: URL)?
                // A test that fails half-way must not leave a paused worker behind, holding the test's output open.
                var running: [ChildProcess] = []
                defer {
                    for worker in running {
                        worker.signal(SIGKILL)
                        worker.wait()
                    }
                }
                for round in 0..<15 where pausedMidJob == nil {
                    let outputs = folder.appendingPathComponent("out-\(round)")
                    let id = try await queue.enqueue(reencodes(of: input, count: 1, into: outputs)[0]).job.id
                    let worker = try #require(try startWorkers(1, on: location, in: folder, extra: lease).first)
                    running = [worker]
                    try await eventually("worker \(worker.pid) holding the job, or the job done") {
                        let job = try await queue.job(id)
                        return job?.status.isFinal == true || job?.lease?.worker.contains(":\(worker.pid):") == true
                    }
                    worker.signal(SIGSTOP)
                    let job = try await queue.job(id)
                    if job?.status == .running && job?.lease?.worker.contains(":\(worker.pid):") == true {
                        pausedMidJob = (worker, id, outputs)
                    } else {
                        worker.signal(SIGCONT)
                        stop([worker])
                        running = []
                    }
                }
                let (paused, id, outputFolder) = try #require(pausedMidJob, "no pause landed mid-job in 15 rounds")
                let successor = try startWorkers(1, on: location, in: folder, extra: lease)
                running += successor
                try await eventually(timeout: .seconds(300), "the successor finished the job") {
                    try await queue.job(id)?.status == .succeeded
                }
                let output = try #require(try await queue.job(id)?.result?.outputs.first)
                let published = try FileManager.default.attributesOfItem(atPath: output)
                paused.signal(SIGCONT)
                try await eventually(timeout: .seconds(300), "the paused worker gave up its attempt") {
                    let log = (try? String(contentsOf: paused.log, encoding: .utf8)) ?? ""
                    return log.contains("outcome dropped")
                }
                stop(running)
                running = []

                let afterwards = try FileManager.default.attributesOfItem(atPath: output)
                #expect(afterwards[.systemFileNumber] as? Int == published[.systemFileNumber] as? Int, "replaced")
                #expect(afterwards[.modificationDate] as? Date == published[.modificationDate] as? Date)
                let history = try await queue.history(of: id).map(\.event)
                #expect(history.filter { $0 == "claimed" }.count == 2, "\(history)")
                #expect(history.filter { $0 == "succeeded" }.count == 1, "\(history)")
                try Self.expectWholeOutputs([output], in: outputFolder)
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func badInputGoesDeadWithTheDecodersErrorAndTheWorkerGoesOn(store: StoreKind) async throws {
        try await withScratchFolder("callaudio-bad-input") { folder async throws in
            let bad = folder.appendingPathComponent("voicemail.wav")
            try Data("this is not audio".utf8).write(to: bad)
            let good = folder.appendingPathComponent("tone.wav")
            try Fixtures.write(
                Signals.sine(440, seconds: 0.5, format: AudioFormat(sampleRate: 8_000, channelCount: 1)), to: good,
                as: .pcm16)
            try await store.withQueue { queue, location in
                let voicemail = try await queue.enqueue(
                    JobRequest(
                        payload: .voicemail(
                            CallRecipe(
                                legs: [.init(path: bad.path)], outputDirectory: folder.appendingPathComponent("vm").path
                            ))
                    )
                ).job.id
                let reencode = try await queue.enqueue(
                    reencodes(of: good, count: 1, into: folder.appendingPathComponent("out"))[0]
                ).job.id
                let workers = try startWorkers(1, on: location, in: folder, extra: ["--workers", "1"])
                try await eventually("both jobs final") {
                    try await [voicemail, reencode].asyncAllSatisfy { try await queue.job($0)?.status.isFinal == true }
                }
                stop(workers)
                let dead = try #require(try await queue.job(voicemail))
                #expect(dead.status == .dead)
                #expect(dead.attempts == 1)
                #expect(dead.failure?.code == AudioError.Code.unsupportedFormat.rawValue)
                #expect(dead.failure?.path == bad.path)
                #expect(dead.failure?.isPermanent == true)
                let done = try #require(try await queue.job(reencode))
                #expect(done.status == .succeeded)
                let output = try #require(done.result?.outputs.first)
                #expect(try Fixtures.read(URL(fileURLWithPath: output)).frameCount > 0)
                #expect(done.result?.stages.map(\.stage) == ["encode"])
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func submitListShowCancelRetryFromTheCommandLine() throws {
        try withScratchFolder("callaudio-cli") { folder throws in
            let location = try StoreKind.sqlite.freshLocation()
            let leg = folder.appendingPathComponent("vm.wav").path
            func callaudio(_ arguments: String...) throws -> String {
                try ExternalTool.output(Self.binary, arguments)
            }
            let first = try callaudio(
                "submit", "--queue", location, "--kind", "voicemail", "--call-id", "vm-7", "--output", folder.path, leg)
            let again = try callaudio(
                "submit", "--queue", location, "--kind", "voicemail", "--call-id", "vm-7", "--output", folder.path, leg)
            let reencode = try callaudio(
                "submit", "--queue", location, "--kind", "reencode", "--priority=-5", "--output", folder.path, leg)
            #expect(Int64(first) != nil)
            #expect(again == first)
            #expect(reencode != first)

            let listed = try JSONDecoder.iso8601.decode(
                [Job].self, from: Data(try callaudio("jobs", "list", "--queue", location, "--json").utf8))
            #expect(listed.map(\.kind) == [JobKind.reencode.rawValue, JobKind.voicemail.rawValue])
            #expect(listed.map(\.priority) == [-5, JobKind.voicemail.defaultPriority])
            guard case .reencode(let recipe)? = try listed.first?.payload else {
                Issue.record("expected a re-encode, got \(String(describing: listed.first))")
                return
            }
            #expect(recipe.output == folder.appendingPathComponent("vm.mp3").path)

            #expect(try callaudio("jobs", "cancel", first, "--queue", location).contains("cancelled"))
            #expect(try callaudio("jobs", "retry", first, "--queue", location).contains("queued"))
            let shown = try callaudio("jobs", "show", first, "--queue", location)
            #expect(shown.contains("enqueued") && shown.contains("cancelled") && shown.contains("retried"))
            let refused = try ExternalTool.run(Self.binary, ["jobs", "retry", first, "--queue", location])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("cannot be retried"))
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

extension JobRequest {
    /// The output of a re-encode request.
    fileprivate var reencodeOutput: String {
        guard case .reencode(let recipe)? = try? payload else { return "" }
        return recipe.output
    }
}

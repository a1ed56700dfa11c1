import AudioCore
import CallAudio
import CallVoicemail
import CallWebhooks
import Foundation
import Logging
import Testing

@testable import CallAudioJobs
@testable import Jobs

/// One suite, every store: what any `JobQueue` must do, run against SQLite and PostgreSQL alike.
@Suite(.postgresServer) struct JobQueueConformanceTests {
    @Test(arguments: StoreKind.allCases) func enqueuedJobRoundTripsAndIsClaimedOnce(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            let recipe = CallRecipe(
                legs: [.init(path: "/in/a.wav", offset: 0.5, channel: 1, role: "caller")], layout: .mono,
                outputDirectory: "/out/a", tags: Tags(callID: "c-1"))
            let enqueued = try await queue.enqueue(JobRequest(payload: .call(recipe), idempotencyKey: "c-1"))
            #expect(enqueued.isNew)
            #expect(enqueued.job.status == .queued)
            let claimed = try #require(try await queue.claim(worker: "w1", leaseDuration: testLease))
            var expected = enqueued.job
            try expected.claim(by: "w1", at: claimed.updatedAt, leaseDuration: testLease)
            #expect(claimed == expected, "the store's claim is the state machine's")
            #expect(claimed.id == enqueued.job.id)
            #expect(try claimed.payload == .call(recipe))
            #expect(claimed.status == .running)
            #expect(claimed.attempts == 1)
            #expect(try await queue.claim(worker: "w2", leaseDuration: testLease) == nil)
            let result = JobResult(outputs: ["/out/a/call.mp3"], stages: [StageTiming(stage: "process", seconds: 1.5)])
            let succeeded = try await queue.succeed(claimed.id, worker: "w1", result: result)
            try expected.succeed(by: "w1", result: result, at: succeeded.updatedAt)
            #expect(succeeded == expected, "the store's success is the state machine's")
            let stored = try #require(try await queue.job(claimed.id))
            #expect(stored == succeeded)
            #expect(stored.result == result)
            #expect(try await queue.history(of: claimed.id).map(\.event) == ["enqueued", "claimed", "succeeded"])
        }
    }

    @Test(arguments: StoreKind.allCases) func sameIdempotencyKeyYieldsOneJob(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            let first = try await queue.enqueue(request(.call, key: "call-42", name: "x"))
            let second = try await queue.enqueue(request(.call, key: "call-42", name: "y"))
            _ = try await queue.enqueue(request(.call, name: "no key 1"))
            _ = try await queue.enqueue(request(.call, name: "no key 2"))
            #expect(first.isNew)
            #expect(!second.isNew)
            #expect(second.job.id == first.job.id)
            #expect(try second.job.payload == first.job.payload)
            #expect(try await queue.jobs(status: nil, limit: 100).count == 3)
        }
    }

    @Test(arguments: StoreKind.allCases) func listingFiltersByStatusKindAndKey(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            let call = try await queue.enqueue(request(.call, key: "c-1", name: "a")).job
            let voicemail = try await queue.enqueue(request(.voicemail, key: "vm-1", name: "b")).job
            let transcribe = try await queue.enqueue(request(.transcribe, name: "c")).job
            let claimed = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            #expect(claimed.id == voicemail.id)
            func ids(_ filter: JobFilter) async throws -> [Int64] {
                try await queue.jobs(matching: filter, limit: 100).map(\.id)
            }
            #expect(try await ids(JobFilter()) == [transcribe.id, voicemail.id, call.id])
            #expect(try await ids(JobFilter(kind: .transcribe)) == [transcribe.id])
            #expect(try await ids(JobFilter(key: "c-1")) == [call.id])
            #expect(try await ids(JobFilter(status: .running)) == [voicemail.id])
            #expect(try await ids(JobFilter(status: .queued, kind: .call, key: "c-1")) == [call.id])
            #expect(try await ids(JobFilter(status: .running, kind: .call)) == [])
            #expect(try await ids(JobFilter(key: "no such key")) == [])
            #expect(try await ids(JobFilter(updatedSince: claimed.updatedAt)) == [voicemail.id])
            #expect(try await ids(JobFilter(updatedSince: claimed.updatedAt.addingTimeInterval(1))) == [])
        }
    }

    @Test(arguments: StoreKind.allCases) func historyOfFinishedJobsIsPrunedAndRunningJobsKeepTheirs(store: StoreKind)
        async throws
    {
        try await store.withQueue { queue, _ in
            let finished = try await queue.enqueue(request(.reencode, name: "finished")).job
            let claimed = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            _ = try await queue.succeed(claimed.id, worker: "w", result: JobResult(outputs: []))
            let running = try await queue.enqueue(request(.reencode, name: "running")).job
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            #expect(try await queue.pruneHistory(before: Date(timeIntervalSince1970: 0)) == 0)
            #expect(try await queue.history(of: finished.id).count == 3)  // enqueued, claimed, succeeded
            #expect(try await queue.pruneHistory(before: Date().addingTimeInterval(60)) == 3)
            #expect(try await queue.history(of: finished.id).isEmpty)
            #expect(try await queue.history(of: running.id).count == 2)
            #expect(try await queue.job(finished.id)?.status == .succeeded)
            let counts = try await queue.jobCounts()
            #expect(counts.count == 2)
            #expect(counts.contains(JobCount(kind: "reencode", status: .succeeded, count: 1)))
            #expect(counts.contains(JobCount(kind: "reencode", status: .running, count: 1)))
        }
    }

    @Test(arguments: StoreKind.allCases) func voicemailIsClaimedBeforeEarlierReencodes(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            let reencodes = [
                try await queue.enqueue(request(.reencode, name: "r1")),
                try await queue.enqueue(request(.reencode, name: "r2")),
            ]
            let call = try await queue.enqueue(request(.call, name: "c"))
            let voicemail = try await queue.enqueue(request(.voicemail, name: "v"))
            var order: [Int64] = []
            while let job = try await queue.claim(worker: "w", leaseDuration: testLease) { order.append(job.id) }
            #expect(order == [voicemail.job.id, call.job.id] + reencodes.map(\.job.id))
        }
    }

    @Test(arguments: StoreKind.allCases) func transientFailureRetriesAfterBackoffThenDies(store: StoreKind) async throws
    {
        let clock = ManualJobClock()
        try await store.withQueue(clock: clock, retryPolicy: RetryPolicy(base: 10, maximum: 100, jitter: 0)) {
            queue, _ in
            let id = try await queue.enqueue(request(maxAttempts: 3)).job.id
            let diskFull = JobFailure(AudioError(.writeFailed, path: "/out/a.mp3", "No space left on device"))
            for delay in [10.0, 20.0] {
                let claimed = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
                let failed = try await queue.fail(claimed.id, worker: "w", failure: diskFull)
                #expect(failed.status == .retrying)
                #expect(failed.runAt == clock.now() + delay)
                clock.advance(by: delay - 0.5)
                #expect(try await queue.claim(worker: "w", leaseDuration: testLease) == nil)
                clock.advance(by: 0.5)
            }
            let last = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            #expect(last.attempts == 3)
            let dead = try await queue.fail(id, worker: "w", failure: diskFull)
            #expect(dead.status == .dead)
            #expect(dead.failure == diskFull)
            #expect(try await queue.job(id)?.status == .dead)
            #expect(try await queue.history(of: id).map(\.event).suffix(2) == ["claimed", "dead"])
        }
    }

    @Test(arguments: StoreKind.allCases) func scrubbingAJobLeavesNoPathInItsRowOrHistory(store: StoreKind) async throws
    {
        try await store.withQueue { queue, _ in
            let recipe = CallRecipe(legs: [.init(path: "/storage/r1/leg1.wav")], outputDirectory: "/storage/r1")
            let id = try await queue.enqueue(JobRequest(payload: .call(recipe), maxAttempts: 1)).job.id
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            let failure = JobFailure(AudioError(.decodeFailed, path: "/storage/r1/leg1.wav", "truncated"))
            _ = try await queue.fail(id, worker: "w", failure: failure)
            try await queue.scrub(job: id)
            let stored = try #require(try await queue.job(id))
            #expect(stored.status == .dead)
            #expect(!String(describing: stored).contains("/storage/r1"))
            #expect(!String(describing: try await queue.history(of: id)).contains("/storage/r1"))
            guard case .call(let scrubbed) = try stored.payload else {
                Issue.record("the payload changed kind")
                return
            }
            #expect(scrubbed.legs.map(\.path) == [Job.deletedPath])
        }
    }

    @Test(arguments: StoreKind.allCases) func scrubbingLeavesNoPersonalFieldOfACallAVoicemailOrAnEvent(
        store: StoreKind
    ) async throws {
        let personal = ["CALL-558-PRIVATE", "alice-caller", "bob@example.com", "+15550100", "Alice Caller", "mbox-7"]
        var call = CallRecipe(
            legs: [.init(path: "/storage/r2/leg1.wav", role: personal[1])], outputDirectory: "/storage/r2",
            tags: Tags(title: personal[4], callID: personal[0], legRoles: [personal[1]]))
        call.legs[0].role = personal[1]
        let email = VoicemailRecipe(
            input: "/storage/r2/file.wav", outputDirectory: "/storage/r2", to: [personal[2]],
            from: "voicemail@example.com", callerNumber: personal[3], callerName: personal[4], mailbox: personal[5],
            received: Date(), timeZone: "UTC")
        let event = WebhookDelivery(
            url: "https://pbx.example.com/hooks", type: "recording.ready",
            body: #"{"data":{"call_id":"\#(personal[0])"}}"#)
        try await store.withQueue { queue, _ in
            for payload in [JobPayload.call(call), .voicemailEmail(VoicemailEmailJob(email: email)), .webhook(event)] {
                let id = try await queue.enqueue(JobRequest(payload: payload)).job.id
                let before = String(describing: try #require(try await queue.job(id)))
                #expect(personal.contains { before.contains($0) })
                try await queue.scrub(job: id)
                let stored = String(describing: try #require(try await queue.job(id)))
                for value in personal { #expect(!stored.contains(value), "\(payload.kind): \(value)") }
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func permanentFailureGoesDeadAtOnce(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            let id = try await queue.enqueue(request(maxAttempts: 5)).job.id
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            let bad = JobFailure(
                AudioError(.unsupportedFormat, path: "/in/a.wav", "File contains data in an unknown format."))
            let dead = try await queue.fail(id, worker: "w", failure: bad)
            #expect(dead.status == .dead)
            #expect(dead.attempts == 1)
            #expect(try await queue.job(id)?.failure == bad)
        }
    }

    @Test(arguments: StoreKind.allCases) func expiredLeaseIsTakenOverAndTheOldWorkerIsRefused(store: StoreKind)
        async throws
    {
        let clock = ManualJobClock()
        try await store.withQueue(clock: clock) { queue, _ in
            let id = try await queue.enqueue(request()).job.id
            _ = try #require(try await queue.claim(worker: "crashed", leaseDuration: 5))
            clock.advance(by: 4)
            #expect(try await queue.heartbeat(id, worker: "crashed", leaseDuration: 5, progress: nil))
            clock.advance(by: 4.9)
            #expect(try await queue.claim(worker: "rescuer", leaseDuration: 5) == nil)
            clock.advance(by: 0.1)
            let rescued = try #require(try await queue.claim(worker: "rescuer", leaseDuration: 5))
            #expect(rescued.attempts == 2)
            #expect(try await !queue.heartbeat(id, worker: "crashed", leaseDuration: 5, progress: nil))
            await #expect(throws: JobTransitionError.self) {
                _ = try await queue.succeed(id, worker: "crashed", result: JobResult(outputs: []))
            }
            _ = try await queue.succeed(id, worker: "rescuer", result: JobResult(outputs: []))
            let events = try await queue.history(of: id).map { "\($0.event) \($0.worker ?? "-")" }
            #expect(
                events == ["enqueued -", "claimed crashed", "retrying crashed", "claimed rescuer", "succeeded rescuer"])
        }
    }

    @Test(arguments: StoreKind.allCases) func leaseRunningOutOnTheLastAttemptKillsTheJob(store: StoreKind) async throws
    {
        let clock = ManualJobClock()
        try await store.withQueue(clock: clock) { queue, _ in
            let id = try await queue.enqueue(request(maxAttempts: 1)).job.id
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: 5))
            clock.advance(by: 5)
            #expect(try await queue.claim(worker: "other", leaseDuration: 5) == nil)
            let job = try #require(try await queue.job(id))
            #expect(job.status == .dead)
            #expect(job.failure?.code == "leaseExpired")
            // No worker saw that death: the announcer does, once however often it looks.
            let announcer = DeathAnnouncements(
                queue: queue, observer: AnnounceEveryDeath(), logger: Logger(label: "test"))
            #expect(try await announcer.announce(deadSince: job.updatedAt) == 1)
            #expect(try await announcer.announce(deadSince: job.updatedAt.addingTimeInterval(-60)) == 0)
            #expect(try await announcer.announce(deadSince: job.updatedAt.addingTimeInterval(1)) == 0)
            let announcement = try #require(try await queue.jobs(matching: JobFilter(kind: .webhook), limit: 10).first)
            #expect(announcement.idempotencyKey == "death-\(id)")
        }
    }

    /// An observer that announces every death with one webhook job keyed by the dead job.
    struct AnnounceEveryDeath: JobOutcomeObserver {
        func requests(after job: Job) throws -> [JobRequest] {
            guard job.status == .dead else { return [] }
            let delivery = WebhookDelivery(url: "https://example.com/hook", type: "recording.failed", body: "{}")
            return [try JobRequest(payload: .webhook(delivery), idempotencyKey: "death-\(job.id)")]
        }
    }

    @Test(arguments: StoreKind.allCases) func heartbeatRecordsProgress(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            let id = try await queue.enqueue(request()).job.id
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            let progress = JobProgress(stage: "encode", percent: 60)
            #expect(try await queue.heartbeat(id, worker: "w", leaseDuration: testLease, progress: progress))
            #expect(try await queue.job(id)?.progress == progress)
        }
    }

    @Test(arguments: StoreKind.allCases) func cancelRetryAndRelease(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            let id = try await queue.enqueue(request()).job.id
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            #expect(try await queue.release(id, worker: "w").status == .queued)
            #expect(try await queue.job(id)?.attempts == 0)
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            #expect(try await queue.cancel(id).status == .cancelled)
            #expect(try await !queue.heartbeat(id, worker: "w", leaseDuration: testLease, progress: nil))
            #expect(try await queue.claim(worker: "w", leaseDuration: testLease) == nil)
            await #expect(throws: JobTransitionError.self) { _ = try await queue.cancel(id) }
            #expect(try await queue.retry(id).status == .queued)
            #expect(try await queue.claim(worker: "w", leaseDuration: testLease)?.id == id)
            #expect(try await queue.jobs(status: .running, limit: 10).map(\.id) == [id])
            #expect(try await queue.jobs(status: .queued, limit: 10).isEmpty)
            await #expect(throws: JobQueueError.noSuchJob(999)) { _ = try await queue.cancel(999) }
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentClaimersTakeEachJobOnce(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            for index in 0..<200 { _ = try await queue.enqueue(request(name: "\(index)")) }
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for claimer in 0..<8 {
                    group.addTask {
                        var mine: [Int64] = []
                        while let job = try await queue.claim(worker: "w\(claimer)", leaseDuration: testLease) {
                            mine.append(job.id)
                            _ = try await queue.succeed(job.id, worker: "w\(claimer)", result: JobResult(outputs: []))
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 200)
            #expect(Set(claimed).count == 200)
            #expect(try await queue.jobs(status: .succeeded, limit: 1000).count == 200)
        }
    }
}

/// What only PostgreSQL does: wake idle workers in other processes the moment work arrives.
@Suite(.postgresServer) struct PostgresNotifyTests {
    @Test func enqueueWakesAWaitingWorkerAtOnce() async throws {
        try await StoreKind.postgres.withQueue { waiter, location in
            let submitter = try await JobQueueLocation(location).open(logger: Logger(label: "test"))
            let started = ContinuousClock.now
            async let waited: Void = waiter.waitForWork(timeout: 60)
            _ = try await submitter.enqueue(request())
            await waited
            try await submitter.close()
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}

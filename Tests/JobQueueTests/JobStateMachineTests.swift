import AudioCore
import CallAudio
import Foundation
import Testing

@testable import CallAudioJobs
@testable import Jobs

/// The job's life as a pure value: no store involved.
@Suite struct JobStateMachineTests {
    let start = Date(timeIntervalSince1970: 1_000)
    let policy = RetryPolicy(base: 10, maximum: 100, jitter: 0)

    func queuedJob(maxAttempts: Int = 3) throws -> Job {
        try JobRequest(payload: .reencode(EncodeRecipe(input: "/in.wav", output: "/out.mp3")), maxAttempts: maxAttempts)
            .makeJob(id: 1, now: start)
    }

    @Test func claimThenSucceed() throws {
        var job = try queuedJob()
        try job.claim(by: "w1", at: start, leaseDuration: 30)
        #expect(job.status == .running)
        #expect(job.attempts == 1)
        #expect(job.lease == Lease(worker: "w1", expiresAt: start + 30))
        try job.succeed(by: "w1", result: JobResult(outputs: ["/out.mp3"]), at: start + 5)
        #expect(job.status == .succeeded)
        #expect(job.lease == nil)
        #expect(job.result?.outputs == ["/out.mp3"])
        #expect(job.progress == JobProgress(stage: "done", percent: 100))
    }

    @Test func transientFailuresBackOffExponentiallyThenGoDead() throws {
        var job = try queuedJob(maxAttempts: 3)
        let failure = JobFailure(code: "writeFailed", message: "disk full", isPermanent: false)
        var now = start
        for (attempt, delay) in [(1, 10.0), (2, 20.0)] {
            try job.claim(by: "w", at: now, leaseDuration: 30)
            #expect(job.attempts == attempt)
            try job.fail(by: "w", with: failure, at: now, policy: policy, random: 0.5)
            #expect(job.status == .retrying)
            #expect(job.runAt == now + delay)
            #expect(!job.isClaimable(at: now + delay - 0.001))
            now += delay
        }
        try job.claim(by: "w", at: now, leaseDuration: 30)
        try job.fail(by: "w", with: failure, at: now, policy: policy, random: 0.5)
        #expect(job.status == .dead)
        #expect(job.attempts == 3)
        #expect(job.failure == failure)
    }

    @Test func permanentFailureGoesDeadAtOnce() throws {
        var job = try queuedJob()
        try job.claim(by: "w", at: start, leaseDuration: 30)
        let failure = JobFailure(AudioError(.unsupportedFormat, path: "/in.wav", "not an audio file"))
        #expect(failure.isPermanent)
        try job.fail(by: "w", with: failure, at: start, policy: policy, random: 0)
        #expect(job.status == .dead)
        #expect(job.attempts == 1)
        #expect(job.failure?.code == "unsupportedFormat")
    }

    @Test func expiredLeaseMakesTheJobDueAgainAndTheOldWorkerLosesIt() throws {
        var job = try queuedJob()
        try job.claim(by: "old", at: start, leaseDuration: 30)
        #expect(!job.isLeaseExpired(at: start + 29))
        #expect(throws: JobTransitionError.self) { try job.expireLease(at: start + 29) }
        #expect(throws: JobTransitionError.self) { try job.claim(by: "new", at: start + 30, leaseDuration: 30) }
        try job.expireLease(at: start + 30)
        #expect(job.status == .retrying)
        #expect(job.failure?.code == "leaseExpired")
        #expect(job.isClaimable(at: start + 30))
        try job.claim(by: "new", at: start + 30, leaseDuration: 30)
        #expect(job.attempts == 2)
        #expect(throws: JobTransitionError.self) {
            try job.succeed(by: "old", result: JobResult(outputs: []), at: start + 31)
        }
        #expect(throws: JobTransitionError.self) {
            try job.extendLease(by: "old", at: start + 31, leaseDuration: 30, progress: nil)
        }
        try job.succeed(by: "new", result: JobResult(outputs: []), at: start + 32)
        #expect(job.status == .succeeded)
        #expect(job.failure == nil)
    }

    @Test func heartbeatExtendsTheLeaseAndRecordsProgress() throws {
        var job = try queuedJob()
        try job.claim(by: "w", at: start, leaseDuration: 30)
        try job.extendLease(
            by: "w", at: start + 20, leaseDuration: 30, progress: JobProgress(stage: "encode", percent: 40))
        #expect(!job.isLeaseExpired(at: start + 49))
        #expect(job.isLeaseExpired(at: start + 50))
        #expect(job.progress == JobProgress(stage: "encode", percent: 40))
    }

    @Test func leaseRunningOutOnTheLastAttemptKillsTheJob() throws {
        var job = try queuedJob(maxAttempts: 1)
        try job.claim(by: "w", at: start, leaseDuration: 30)
        try job.expireLease(at: start + 30)
        #expect(job.status == .dead)
        #expect(job.failure?.code == "leaseExpired")
    }

    @Test func releaseQueuesAgainWithoutCountingTheAttempt() throws {
        var job = try queuedJob()
        try job.claim(by: "w", at: start, leaseDuration: 30)
        try job.release(by: "w", at: start + 1)
        #expect(job.status == .queued)
        #expect(job.attempts == 0)
        #expect(job.isClaimable(at: start + 1))
    }

    @Test func cancelStopsAJobAndRetryRevivesIt() throws {
        var job = try queuedJob()
        try job.claim(by: "w", at: start, leaseDuration: 30)
        try job.cancel(at: start + 1)
        #expect(job.status == .cancelled)
        #expect(!job.isClaimable(at: start + 100))
        #expect(throws: JobTransitionError.self) { try job.cancel(at: start + 2) }
        #expect(throws: JobTransitionError.self) {
            try job.succeed(by: "w", result: JobResult(outputs: []), at: start + 2)
        }
        try job.retry(at: start + 3)
        #expect(job.status == .queued)
        #expect(job.attempts == 0)
        #expect(throws: JobTransitionError.self) { try job.retry(at: start + 4) }
    }

    @Test func backoffIsCappedAndJittered() {
        let policy = RetryPolicy(base: 5, maximum: 60, jitter: 0.5)
        #expect(policy.delay(afterAttempt: 1, random: 0) == 5)
        #expect(policy.delay(afterAttempt: 3, random: 0) == 20)
        #expect(policy.delay(afterAttempt: 10, random: 0) == 60)
        #expect(policy.delay(afterAttempt: 3, random: 0.999) > 10)
        #expect(policy.delay(afterAttempt: 3, random: 0.999) < 10.1)
    }

    @Test func voicemailOutranksCallsWhichOutrankReencodes() {
        #expect(JobKind.voicemail.defaultPriority > JobKind.call.defaultPriority)
        #expect(JobKind.call.defaultPriority > JobKind.reencode.defaultPriority)
    }
}

import CallAudio
import CallTranscription
import Foundation

/// One unit of queued work: plain data that any worker on any machine can run.
///
/// A job carries its recipe, its scheduling (priority, run-at time, attempts), its lease while a worker runs
/// it, and its outcome. Its life is the state machine in `Job+Transitions.swift`; the stores only persist it.
public struct Job: Sendable, Equatable, Codable {
    /// The store's identifier, assigned on enqueue.
    public var id: Int64
    /// What to run.
    public var payload: JobPayload
    /// Higher runs first among jobs that are due.
    public var priority: Int
    /// The caller's identifier for the work (the call id): enqueuing the same key twice yields one job.
    public var idempotencyKey: String?
    public var status: JobStatus
    /// How many times a worker has started the job.
    public var attempts: Int
    /// After this many failed attempts the job goes dead.
    public var maxAttempts: Int
    /// The job is not claimed before this time (set by backoff after a transient failure).
    public var runAt: Date
    /// Held while a worker runs the job; nil otherwise.
    public var lease: Lease?
    /// The stage and percent most recently reported by the worker running the job.
    public var progress: JobProgress?
    /// What the job produced, once succeeded.
    public var result: JobResult?
    /// Why the last attempt failed (kept when the job retries or goes dead).
    public var failure: JobFailure?
    public var createdAt: Date
    public var updatedAt: Date

    public var kind: JobKind { payload.kind }
}

/// The kinds of work a worker runs.
public enum JobKind: String, Codable, Sendable, CaseIterable {
    /// A finished call's legs into its recording and report.
    case call
    /// A voicemail (a one-leg call): urgent, someone waits for the email.
    case voicemail
    /// Batch re-encoding of one existing recording.
    case reencode
    /// The transcript of a recording whose audio is done: slower than the audio, so a job of its own.
    case transcribe
    /// One signed event POSTed to the platform (`recording.ready`, ...): retried with backoff until delivered.
    case webhook

    /// The priority a job of this kind gets when the submitter names none: voicemail before calls before
    /// batch re-encodes.
    public var defaultPriority: Int {
        switch self {
        case .voicemail: 20
        case .webhook: 15
        case .call: 10
        case .transcribe: 5
        case .reencode: 0
        }
    }
}

/// Where a job is in its life.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for a worker.
    case queued
    /// Claimed by a worker that holds its lease.
    case running
    /// Failed transiently; waiting for its backoff to pass before a worker claims it again.
    case retrying
    case succeeded
    /// Failed permanently, or transiently on its last attempt.
    case dead
    case cancelled

    /// True when no worker will run the job again unless someone retries it by hand.
    public var isFinal: Bool { self == .succeeded || self == .dead || self == .cancelled }
}

/// The right of one worker to run a job until `expiresAt`; the worker's heartbeat extends it.
public struct Lease: Sendable, Equatable, Codable {
    /// The worker holding the job (`host:pid:slot`).
    public var worker: String
    public var expiresAt: Date
}

/// How far a running job has come.
public struct JobProgress: Sendable, Equatable, Codable {
    /// What the worker is doing ("process", "encode").
    public var stage: String
    /// 0 ... 100.
    public var percent: Double

    public init(stage: String, percent: Double) {
        self.stage = stage
        self.percent = percent
    }

    /// A job just claimed, before its runner reports anything.
    public static let claimed = JobProgress(stage: "claimed", percent: 0)
    /// A job that succeeded.
    public static let done = JobProgress(stage: "done", percent: 100)
}

/// What a succeeded job produced.
public struct JobResult: Sendable, Equatable, Codable {
    /// The files written, absolute paths.
    public var outputs: [String]
    public var report: JobReport?
    /// The time spent in each stage of the run, in order.
    public var stages: [StageTiming]
    /// Jobs this one asked for, to run after it (its transcript): the worker enqueues them before it records
    /// the success, and keeps their ids in `followUpJobs`. Not stored.
    public var followUps: [JobRequest]
    /// The ids of the jobs enqueued from `followUps`.
    public var followUpJobs: [Int64]?

    public init(
        outputs: [String], report: JobReport? = nil, stages: [StageTiming] = [], followUps: [JobRequest] = []
    ) {
        self.outputs = outputs
        self.report = report
        self.stages = stages
        self.followUps = followUps
    }

    private enum CodingKeys: String, CodingKey {
        case outputs, report, stages, followUpJobs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outputs = try container.decode([String].self, forKey: .outputs)
        report = try container.decodeIfPresent(JobReport.self, forKey: .report)
        stages = try container.decodeIfPresent([StageTiming].self, forKey: .stages) ?? []
        followUps = []
        followUpJobs = try container.decodeIfPresent([Int64].self, forKey: .followUpJobs)
    }
}

/// Seconds spent in one named stage of a job.
public struct StageTiming: Sendable, Equatable, Codable {
    public var stage: String
    public var seconds: Double

    public init(stage: String, seconds: Double) {
        self.stage = stage
        self.seconds = seconds
    }
}

/// Why an attempt failed, kept on the job.
public struct JobFailure: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// A stable code (`AudioError.Code` raw values, `leaseExpired`, `crashed`, `internal`, ...).
    public var code: String
    /// The file concerned, when there is one.
    public var path: String?
    public var message: String
    /// True when running the job again cannot succeed: the job goes dead at once.
    public var isPermanent: Bool

    public init(code: String, path: String? = nil, message: String, isPermanent: Bool) {
        self.code = code
        self.path = path
        self.message = message
        self.isPermanent = isPermanent
    }

    /// Classifies an error thrown by a runner: a failure classified already (by an attempt process) is kept;
    /// audio errors say themselves whether they are permanent; anything else is taken as transient (it may pass
    /// on another attempt).
    public init(_ error: any Error) {
        if let failure = error as? JobFailure {
            self = failure
        } else if let audio = error as? AudioError {
            self.init(
                code: audio.code.rawValue, path: audio.path, message: audio.message, isPermanent: audio.isPermanent)
        } else if let transcription = error as? TranscriptionError {
            // An engine that is down or busy is worth another attempt; a refusal or a bad setup is not.
            self.init(
                code: "transcription.\(transcription.kind.rawValue)", message: transcription.message,
                isPermanent: !transcription.isTransient)
        } else if let classified = error as? any ClassifiedJobError {
            self.init(code: classified.failureCode, message: classified.message, isPermanent: classified.isPermanent)
        } else {
            self.init(code: "internal", message: String(describing: error), isPermanent: false)
        }
    }

    public var description: String { path.map { "\(code): \($0): \(message)" } ?? "\(code): \(message)" }
}

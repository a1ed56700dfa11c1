import AudioCore
import Foundation

/// One unit of queued work: plain data that any worker on any machine can run.
///
/// A job carries its kind and recipe, its scheduling (priority, run-at time, attempts), its lease while a worker
/// runs it, and its outcome. Its life is the state machine in `Job+Transitions.swift`; the stores only persist it.
/// The queue knows no kinds: it stores a kind's name and its recipe as JSON, and hands both to the runner.
public struct Job: Sendable, Equatable {
    /// The store's identifier, assigned on enqueue.
    public var id: Int64
    /// The kind of work, as the application names it (`call`, `webhook`): the queue only stores and counts it.
    public var kind: String
    /// What to run: a JSON object the kind's runner reads, stamped with `Job.formatVersion`.
    public var recipe: JSONValue
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

    /// The recipe format this build writes, and the newest it reads. A recipe without `formatVersion` is version 1,
    /// as every recipe stored before the field existed.
    public static let formatVersion = 1

    /// A recipe written by a newer build than this one: upgrade the workers before the programs that submit.
    public struct NewerFormat: Error, CustomStringConvertible {
        public var version: Int

        public init(version: Int) { self.version = version }

        public var description: String {
            "the recipe is format version \(version); this build reads up to \(Job.formatVersion) (upgrade it)"
        }
    }

    /// `recipe` as JSON stamped with the format version: what a request carries.
    public static func stampedRecipe(_ recipe: some Encodable) throws -> JSONValue {
        guard case .object(var members) = try JSONValue(encoding: recipe) else {
            throw JobQueueError("a recipe must be a JSON object")
        }
        members["formatVersion"] = .number(Double(formatVersion))
        return .object(members)
    }

    /// Throws `NewerFormat` for a recipe this build cannot read.
    static func checkFormat(of recipe: JSONValue) throws {
        if case .number(let version)? = recipe["formatVersion"], Int(version) > formatVersion {
            throw NewerFormat(version: Int(version))
        }
    }
}

/// A job's JSON (`jobs show --json`, the message that starts an attempt): the kind and recipe together as
/// `payload`, `{"kind": ..., "recipe": {...}}`, as `docs/queue-format.md` shows.
extension Job: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, payload, priority, idempotencyKey, status, attempts, maxAttempts, runAt, lease, progress, result
        case failure, createdAt, updatedAt
    }

    private enum PayloadKeys: String, CodingKey {
        case kind, recipe
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let payload = try container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .payload)
        id = try container.decode(Int64.self, forKey: .id)
        kind = try payload.decode(String.self, forKey: .kind)
        recipe = try payload.decode(JSONValue.self, forKey: .recipe)
        priority = try container.decode(Int.self, forKey: .priority)
        idempotencyKey = try container.decodeIfPresent(String.self, forKey: .idempotencyKey)
        status = try container.decode(JobStatus.self, forKey: .status)
        attempts = try container.decode(Int.self, forKey: .attempts)
        maxAttempts = try container.decode(Int.self, forKey: .maxAttempts)
        runAt = try container.decode(Date.self, forKey: .runAt)
        lease = try container.decodeIfPresent(Lease.self, forKey: .lease)
        progress = try container.decodeIfPresent(JobProgress.self, forKey: .progress)
        result = try container.decodeIfPresent(JobResult.self, forKey: .result)
        failure = try container.decodeIfPresent(JobFailure.self, forKey: .failure)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var payload = container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .payload)
        try payload.encode(kind, forKey: .kind)
        try payload.encode(recipe, forKey: .recipe)
        try container.encode(id, forKey: .id)
        try container.encode(priority, forKey: .priority)
        try container.encodeIfPresent(idempotencyKey, forKey: .idempotencyKey)
        try container.encode(status, forKey: .status)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encode(runAt, forKey: .runAt)
        try container.encodeIfPresent(lease, forKey: .lease)
        try container.encodeIfPresent(progress, forKey: .progress)
        try container.encodeIfPresent(result, forKey: .result)
        try container.encodeIfPresent(failure, forKey: .failure)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
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
    /// The kind's own report of the run (the audio library's `{"call": {...}}`), as JSON.
    public var report: JSONValue?
    /// The time spent in each stage of the run, in order.
    public var stages: [StageTiming]
    /// Jobs this one asked for, to run after it (its transcript): the worker enqueues them before it records
    /// the success, and keeps their ids in `followUpJobs`. Not stored.
    public var followUps: [JobRequest]
    /// The ids of the jobs enqueued from `followUps`.
    public var followUpJobs: [Int64]?

    public init(
        outputs: [String], report: JSONValue? = nil, stages: [StageTiming] = [], followUps: [JobRequest] = []
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
        report = try container.decodeIfPresent(JSONValue.self, forKey: .report)
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
    /// A stable code (a `ClassifiedError`'s, or the queue's own: `leaseExpired`, `crashed`, `internal`, ...).
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

    /// Classifies an error thrown by a runner: a failure classified already (by an attempt process) is kept, as
    /// is what a `ClassifiedError` says of itself; anything else is taken as transient (it may pass on another
    /// attempt).
    public init(_ error: any Error) {
        if let failure = error as? JobFailure {
            self = failure
        } else if let classified = error as? any ClassifiedError {
            self.init(
                code: classified.errorCode, path: classified.path, message: classified.message,
                isPermanent: classified.isPermanent)
        } else {
            self.init(code: "internal", message: String(describing: error), isPermanent: false)
        }
    }

    public var description: String { path.map { "\(code): \($0): \(message)" } ?? "\(code): \(message)" }
}

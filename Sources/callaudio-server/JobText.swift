import CallAudioJobs
import Foundation
import Jobs

/// Jobs as people read them in a terminal.
enum JobText {
    /// `42  running  voicemail  prio 20  attempt 1/5  encode 40%  key vm-77`
    static func line(_ job: Job) -> String {
        var fields = [
            "\(job.id)", job.status.rawValue, job.kind, "prio \(job.priority)",
            "attempt \(job.attempts)/\(job.maxAttempts)",
        ]
        if let progress = job.progress, job.status == .running {
            fields.append("\(progress.stage) \(Int(progress.percent))%")
        }
        if let key = job.idempotencyKey { fields.append("key \(key)") }
        if let failure = job.failure, job.status != .succeeded { fields.append("error \(failure)") }
        return fields.joined(separator: "  ")
    }

    static func detail(_ job: Job, history: [JobEvent]) -> String {
        var lines = [line(job), "run at: \(timestamp(job.runAt))"]
        if let lease = job.lease { lines.append("lease: \(lease.worker) until \(timestamp(lease.expiresAt))") }
        if let result = job.result {
            lines.append("outputs: " + result.outputs.joined(separator: ", "))
            lines.append(
                "stages: "
                    + result.stages.map { "\($0.stage) \(String(format: "%.3f", $0.seconds))s" }
                    .joined(separator: ", "))
            if let followUps = result.followUpJobs, !followUps.isEmpty {
                lines.append("follow-up jobs: " + followUps.map(String.init).joined(separator: ", "))
            }
        }
        if case .transcribe(let recipe)? = try? job.payload, let parent = recipe.parentJob {
            lines.append("transcript of job \(parent)")
        }
        lines.append("history:")
        lines += history.map { event in
            "  \(timestamp(event.at))  \(event.event)  attempt \(event.attempt)"
                + (event.worker.map { "  by \($0)" } ?? "") + (event.detail.map { "  \($0)" } ?? "")
        }
        return lines.joined(separator: "\n")
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

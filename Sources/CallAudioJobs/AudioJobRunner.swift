import CallAudio

/// The runner of real workers: hands each job's recipe to the audio library.
public struct AudioJobRunner: JobRunner {
    public init() {}

    public func run(_ job: Job, progress: JobProgressReporter) throws -> JobResult {
        switch job.payload {
        case .call(let recipe), .voicemail(let recipe):
            progress.begin("process")
            let report = try CallProcessor(
                progress: { progress.report(percent: $0 * 100) }, cancellation: progress.cancellation
            ).run(recipe)
            return JobResult(outputs: report.outputs.map(\.path), report: .call(report))
        case .reencode(let recipe):
            progress.begin("encode")
            let encoded = try FileEncoder(cancellation: progress.cancellation).run(recipe)
            return JobResult(outputs: [encoded.output], report: .encode(encoded))
        }
    }
}

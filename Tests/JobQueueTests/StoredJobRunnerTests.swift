import AudioCore
import AudioTesting
import CallAudio
import CallAudioJobs
import CallRecordings
import Foundation
import Jobs
import S3
import Testing

/// A worker with no shared disk (issue 24): the job's input is fetched from the bucket into a private folder, the
/// job runs there, its output is stored back; a job that fails or loses its lease stores nothing; and the private
/// folder is gone afterwards whatever happened.
struct StoredJobRunnerTests {
    /// A bucket storage of its own, a recording in it with a 2 s tone as `leg1.wav`, and a re-encode of that leg
    /// into `call.mp3` as its recipe names them.
    func setUp() async throws -> (storage: any RecordingStorage, id: String, job: Job, work: URL) {
        let storage = try RecordingStorageConformanceTests.storage(.s3)
        let id = RecordingID.random()
        let tone = try Fixtures.scratchFolder("callaudio-stored-job").appendingPathComponent("leg1.wav")
        try Fixtures.write(
            Signals.sine(440, seconds: 2, format: AudioFormat(sampleRate: 16_000, channelCount: 1)), to: tone,
            as: .pcm16)
        let staging = try RecordingStorageConformanceTests.staged(
            storage, id: id, files: ["leg1.wav": try Data(contentsOf: tone)])
        #expect(try await storage.create(id, from: staging))
        let folder = try #require(storage.folder(of: id))
        let request = try JobRequest(
            payload: .reencode(EncodeRecipe(input: "\(folder)/leg1.wav", output: "\(folder)/call.mp3")))
        let work = try Fixtures.scratchFolder("callaudio-stored-job-work")
        return (storage, id, request.makeJob(id: 11, now: Date()), work)
    }

    func leftovers(in work: URL) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: work.path)
    }

    @Test func theInputIsFetchedAndTheOutputStoredWithNothingLeftHere() async throws {
        let (storage, id, job, work) = try await setUp()
        let runner = try StoredJobRunner(runner: AudioJobRunner(), storage: storage, workFolder: work)
        let result = try await offThePool { try runner.run(job, progress: JobProgressReporter()) }
        #expect(result.outputs == ["\(storage.location)/recordings/\(id)/call.mp3"])
        let mp3 = try Fixtures.scratchFolder("callaudio-stored-job-out").appendingPathComponent("call.mp3")
        try await storage.fetch("call.mp3", of: id, to: mp3)
        #expect(abs(try Fixtures.read(mp3).duration - 2) < 0.06)
        #expect(try leftovers(in: work).isEmpty)
    }

    @Test func aJobThatLostItsLeaseStoresNothing() async throws {
        let (storage, id, job, work) = try await setUp()
        let runner = try StoredJobRunner(runner: AudioJobRunner(), storage: storage, workFolder: work)
        await #expect(throws: (any Error).self) {
            try await offThePool { try runner.run(job, progress: JobProgressReporter(confirmLease: { false })) }
        }
        #expect(try await storage.object("call.mp3", of: id) == nil)
        #expect(try leftovers(in: work).isEmpty)
    }

    @Test func aJobThatFailsStoresNothingAndLeavesNothingHere() async throws {
        let (storage, id, job, work) = try await setUp()
        struct Failing: JobRunner {
            func run(_ job: Job, progress: JobProgressReporter) throws -> JobResult {
                // The input was fetched into the private folder before the job failed.
                let recipe = try job.recipe.decode(EncodeRecipe.self)
                #expect(FileManager.default.fileExists(atPath: recipe.input))
                try Data("half".utf8).write(to: URL(fileURLWithPath: recipe.output))
                throw JobFailure(code: "crashed", message: "the attempt's process died", isPermanent: false)
            }
        }
        let runner = try StoredJobRunner(runner: Failing(), storage: storage, workFolder: work)
        await #expect(throws: JobFailure.self) {
            try await offThePool { try runner.run(job, progress: JobProgressReporter()) }
        }
        #expect(try await storage.object("call.mp3", of: id) == nil)
        #expect(try leftovers(in: work).isEmpty)
    }
}

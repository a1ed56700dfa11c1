import AudioCore
import AudioTesting
import CallAudioJobs
import CallPrompts
import CallRecordings
import Foundation
import Jobs
import Testing

/// Prompts kept in a bucket (SeaweedFS), rendered by a worker that shares no disk with the API: the upload, the
/// renditions and `prompt.json` are objects of the prompt's folder; a refused upload leaves no object; a deleted
/// prompt, none either.
struct PromptsInABucketTests {
    /// Uploads `audio` as a greeting of `u-1` through the service over `storage`.
    func upload(_ audio: URL, to prompts: PromptService) async throws -> String {
        let staging = try prompts.storage.makeStagingFolder()
        let file = staging.appendingPathComponent("file.wav")
        try FileManager.default.copyItem(at: audio, to: file)
        let form = IngestForm(
            files: ["file": file], fields: ["kind": "greeting", "owner": "u-1", "name": "Main"],
            clientFileNames: ["file": audio.lastPathComponent])
        return try await prompts.create(form: form, staging: staging).id
    }

    /// Runs every queued job as a bucket worker does: fetched into a private folder, stored back.
    func runJobs(_ queue: any JobQueue, storage: any RecordingStorage) async throws {
        let work = try Fixtures.scratchFolder("callaudio-prompt-worker")
        let runner = try StoredJobRunner(runner: AudioJobRunner(), storage: storage, workFolder: work)
        while let job = try await queue.claim(worker: "w", leaseDuration: 600) {
            do {
                let result = try await offThePool { try runner.run(job, progress: JobProgressReporter()) }
                _ = try await queue.succeed(job.id, worker: "w", result: result)
            } catch {
                _ = try await queue.fail(job.id, worker: "w", failure: JobFailure(error))
            }
        }
        #expect(try FileManager.default.subpathsOfDirectory(atPath: work.path).isEmpty)
    }

    @Test func aPromptLivesInTheBucketAndLeavesNothingWhenRefusedOrDeleted() async throws {
        let storage = try RecordingStorageConformanceTests.storage(.s3)
        let folder = try Fixtures.scratchFolder("callaudio-prompt-bucket")
        let catalog = try await JobQueueLocation("sqlite:" + folder.appendingPathComponent("jobs.db").path).openCatalog(
            logger: .init(label: "test"))
        let prompts = PromptService(
            storage: storage, catalog: catalog, queue: catalog.queue,
            signer: MediaSigner(key: try await catalog.mediaSigningKey()), publicURL: nil)
        let greeting = folder.appendingPathComponent("greeting.wav")
        _ = try ExternalTool.output(
            "/usr/bin/ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-y", "-t", "4", "-i",
                Fixtures.packageRoot.appendingPathComponent("samples/voicemail.flac").path, greeting.path,
            ])
        let silence = folder.appendingPathComponent("silence.wav")
        try Fixtures.write(
            AudioChunk(format: .mono(16_000), samples: SpeechLike.whiteNoise(count: 64_000, dBFS: -75, seed: 1)),
            to: silence, as: .pcm16)
        let good = try await upload(greeting, to: prompts)
        let bad = try await upload(silence, to: prompts)
        #expect(try await storage.fileNames(of: good) == ["upload.wav"])
        try await runJobs(catalog.queue, storage: storage)

        let ready = try await prompts.resource(of: good)
        #expect(ready.status == .ready, "\(ready.error ?? "")")
        #expect(
            Set(try await storage.fileNames(of: good))
                == Set(PromptService.files + [PromptProcessor.reportName, "upload.wav"]))
        let ulaw = folder.appendingPathComponent("prompt-ulaw.wav")
        try await storage.fetch("prompt-ulaw.wav", of: good, to: ulaw)
        #expect(try Fixtures.read(ulaw).format.sampleRate == 8_000)
        #expect(abs(try Fixtures.read(ulaw).duration - (ready.duration ?? 0)) < 0.05)

        let refused = try await prompts.resource(of: bad)
        #expect(refused.status == .failed)
        #expect(refused.error?.hasPrefix("silence.wav: is almost all silence") == true, "\(refused.error ?? "")")
        #expect(try await storage.fileNames(of: bad).isEmpty, "the refused upload is gone from the bucket")

        try await prompts.delete(good)
        #expect(try await storage.fileNames(of: good).isEmpty)
        try await catalog.queue.close()
    }
}

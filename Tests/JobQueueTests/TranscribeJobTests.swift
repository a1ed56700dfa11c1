import AudioTesting
import CallAudio
import Foundation
import Testing

@testable import CallAudioJobs
@testable import Jobs

/// A call queued with a transcript: real worker processes make the audio, then the transcript as a follow-up
/// `transcribe` job against a scripted OpenAI-compatible server (Tests/Scripts/scripted_transcription_server.py).
extension WorkerProcessTests {
    static let transcriptionServer = Result {
        try ScriptedServer(
            "/usr/bin/python3",
            [
                Fixtures.packageRoot.appendingPathComponent("Tests")
                    .appendingPathComponent("Scripts/scripted_transcription_server.py").path,
                try Fixtures.scratchFolder("transcription-requests").path,
            ])
    }

    static let samples = Fixtures.packageRoot.appendingPathComponent("samples/call")

    /// The sample call's recipe into `folder`, asking for a transcript from `engine`.
    func transcribedCall(into folder: URL, engine: String) -> CallRecipe {
        CallRecipe(
            legs: [
                .init(path: Self.samples.appendingPathComponent("caller.wav").path, role: "caller"),
                .init(path: Self.samples.appendingPathComponent("agent.opus").path, offset: 2, role: "agent"),
            ],
            outputDirectory: folder.path, transcription: TranscriptionRequest(engine: engine, model: "ok-jobs"))
    }

    @Test(arguments: StoreKind.allCases)
    func aCallAskingForATranscriptGetsItAsAFollowUpJob(store: StoreKind) async throws {
        try await withScratchFolder("callaudio-transcribe-job") { folder async throws in
            let engine = "http://127.0.0.1:\(try Self.transcriptionServer.get().port)/v1"
            let output = folder.appendingPathComponent("call")
            try await store.withQueue { queue, location in
                let call = try await queue.enqueue(
                    JobRequest(payload: .call(transcribedCall(into: output, engine: engine))))
                let workers = try startWorkers(1, on: location, in: folder, extra: ["--workers", "1"])
                var transcribe: Job?
                try await eventually(timeout: .seconds(300), "the follow-up transcript done") {
                    guard let followUp = try await queue.job(call.job.id)?.result?.followUpJobs?.first else {
                        return false
                    }
                    transcribe = try await queue.job(followUp)
                    return transcribe?.status.isFinal == true
                }
                stop(workers)
                let done = try #require(transcribe)
                #expect(done.status == .succeeded, "\(String(describing: done.failure))")
                #expect(done.kind == JobKind.transcribe.rawValue)
                guard case .transcribe(let recipe) = try done.payload else { return }
                #expect(recipe.parentJob == call.job.id)
                #expect(try await queue.job(call.job.id)?.status == .succeeded)
                let report = try CallReport.read(from: output.appendingPathComponent("call.json").path)
                #expect(report.transcript?.engine == "openai")
                #expect(report.transcript?.model == "ok-jobs")
                let text = try String(contentsOf: output.appendingPathComponent("call.txt"), encoding: .utf8)
                #expect(text.contains("Caller: Hello there."))
                #expect(text.contains("Agent: Hello there."))
                #expect(done.result?.outputs.contains(output.appendingPathComponent("call.vtt").path) == true)
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func anEngineThatIsDownFailsTheTranscribeJobTransientlyAndLeavesTheAudioDone() async throws {
        try await withScratchFolder("callaudio-transcribe-down") { folder async throws in
            let output = folder.appendingPathComponent("call")
            try await StoreKind.sqlite.withQueue { queue, location in
                let call = try await queue.enqueue(
                    JobRequest(payload: .call(transcribedCall(into: output, engine: "http://127.0.0.1:9/v1"))))
                let workers = try startWorkers(1, on: location, in: folder, extra: ["--workers", "1"])
                var transcribe: Job?
                try await eventually(timeout: .seconds(300), "the transcribe job failed once") {
                    guard let followUp = try await queue.job(call.job.id)?.result?.followUpJobs?.first else {
                        return false
                    }
                    transcribe = try await queue.job(followUp)
                    return transcribe?.failure != nil
                }
                stop(workers)
                let failed = try #require(transcribe)
                #expect(failed.failure?.code == "transcription.engineUnavailable")
                #expect(failed.failure?.isPermanent == false)
                #expect([.retrying, .queued, .running].contains(failed.status), "\(failed.status)")
                #expect(try await queue.job(call.job.id)?.status == .succeeded)
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("call.mp3").path))
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

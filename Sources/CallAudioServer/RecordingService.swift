import CallAudio
import CallAudioJobs
import Foundation

/// What the routes and `callaudio delete` do with recordings, with no HTTP in it: take an upload in as a
/// recording and its job, describe a recording, delete one.
public struct RecordingService: Sendable {
    public let storage: RecordingStorage
    public let queue: any JobQueue
    public let signer: MediaSigner
    /// The webhook events to send, when a target is configured.
    public let events: RecordingEvents?
    /// The service's address as clients reach it (`https://calls.example.com`), put before the URLs a recording's
    /// JSON hands out; nil leaves them as paths.
    public let publicURL: String?

    public init(
        storage: RecordingStorage, queue: any JobQueue, signer: MediaSigner, events: RecordingEvents? = nil,
        publicURL: String? = nil
    ) {
        self.storage = storage
        self.queue = queue
        self.signer = signer
        self.events = events
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// Why a request about a recording cannot be served.
    public enum Failure: Error, Equatable {
        case notFound
        case badInput(String)
    }

    /// Turns an upload already in `staging` into recording folder and queued job; a repeat of the same call id
    /// returns the existing recording and discards the upload.
    func ingest(kind: RecordingMetadata.Kind, form: MultipartUpload.Form, staging: URL) async throws
        -> RecordingMetadata
    {
        let legs = try Self.legs(of: form, kind: kind)
        let fields: IngestFields
        do {
            fields = try IngestFields(form.fields, legCount: legs.count)
        } catch {
            throw Failure.badInput(error.message)
        }
        let id = fields.callID.map { RecordingID.forKey($0, kind: kind.rawValue) } ?? RecordingID.random()
        guard let folder = storage.folder(of: id) else { throw Failure.notFound }
        var metadata = RecordingMetadata(
            id: id, kind: kind, callID: fields.callID, jobID: nil, mediaNonce: RecordingID.random(),
            transcribe: fields.transcribe, createdAt: Date())
        try metadata.write(in: staging)
        do {
            try FileManager.default.moveItem(at: staging, to: folder)
        } catch {
            // The call id was seen before: its recording stands, this upload goes.
            try? FileManager.default.removeItem(at: staging)
            guard let existing = RecordingMetadata.read(in: folder) else { throw error }
            return existing
        }
        let inputs = legs.map { folder.appendingPathComponent($0.lastPathComponent) }
        let recipe = fields.recipe(legs: inputs, folder: folder, use: kind == .voicemail ? .voicemail : .call)
        let payload: JobPayload = kind == .voicemail ? .voicemail(recipe) : .call(recipe)
        let enqueued = try await queue.enqueue(JobRequest(payload: payload, idempotencyKey: "recording:\(id)"))
        metadata.jobID = enqueued.job.id
        try metadata.write(in: folder)
        if kind == .voicemail, let events { _ = try await queue.enqueue(events.voicemailReceived(metadata)) }
        return metadata
    }

    /// The uploaded legs in leg order: `leg1`, `leg2`, ... for a call, `file` for a voicemail.
    private static func legs(of form: MultipartUpload.Form, kind: RecordingMetadata.Kind) throws -> [URL] {
        switch kind {
        case .voicemail:
            guard let file = form.files["file"] else {
                throw Failure.badInput("file: the voicemail's audio is missing")
            }
            return [file]
        case .call:
            var legs: [URL] = []
            while let leg = form.files["leg\(legs.count + 1)"] { legs.append(leg) }
            guard !legs.isEmpty else { throw Failure.badInput("leg1: a call needs at least one leg") }
            guard legs.count == form.files.count else {
                let extra = form.files.keys.filter { !$0.hasPrefix("leg") || Int($0.dropFirst(3)) ?? 0 > legs.count }
                throw Failure.badInput("\(extra.sorted().joined(separator: ", ")): not leg1 ... legN in order")
            }
            return legs
        }
    }

    /// The metadata of recording `id`; `Failure.notFound` when there is none.
    public func metadata(of id: String) throws -> (RecordingMetadata, URL) {
        guard let folder = storage.folder(of: id), let metadata = RecordingMetadata.read(in: folder) else {
            throw Failure.notFound
        }
        return (metadata, folder)
    }

    /// The recording as `GET /v1/recordings/{id}` shows it, with freshly signed media URLs.
    public func resource(of id: String, now: Date = Date()) async throws -> RecordingResource {
        let (metadata, folder) = try metadata(of: id)
        let job = try await metadata.jobID.asyncFlatMap { try await queue.job($0) }
        let report = Self.report(in: folder)
        let status = RecordingResource.status(of: job, reportExists: report != nil)
        let outputs = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("call") && !$0.hasPrefix(".") }.sorted()
        let origin = publicURL ?? ""
        let base = "\(origin)/v1/recordings/\(id)"
        let sign = { (variant: String) in
            signer.query(recording: id, nonce: metadata.mediaNonce, variant: variant, now: now)
        }
        return RecordingResource(
            id: id, kind: metadata.kind, callID: metadata.callID, status: status,
            stage: status == "processing" ? job?.progress?.stage : nil,
            progress: status == "processing" ? job?.progress?.percent : nil,
            duration: status == "ready" ? report?.duration : nil,
            legs: (report?.legs ?? []).map {
                RecordingResource.Leg(role: $0.role, format: $0.format, duration: $0.duration, offset: $0.offset)
            },
            outputs: outputs,
            transcript: RecordingResource.transcriptStatus(folder: folder, requested: metadata.transcribe),
            error: status == "failed" ? job?.failure?.message ?? "cancelled" : nil,
            url: base, audioURL: "\(base)/audio.mp3?\(sign("audio.mp3"))",
            playerURL: "\(origin)/recordings/\(id)?\(sign("player"))",
            waveformURL: "\(base)/waveform.json?\(sign("waveform.json"))")
    }

    /// Queues the transcript of a recording whose audio is done (a `transcribe` job with the worker's default
    /// engine, from the recording's own legs, offsets and roles), once: asking again returns the same job.
    /// - Returns: the job's id.
    public func requestTranscript(of id: String) async throws -> Int64 {
        var (metadata, folder) = try metadata(of: id)
        guard let jobID = metadata.jobID, let job = try await queue.job(jobID) else { throw Failure.notFound }
        var recipe: CallRecipe
        switch job.payload {
        case .call(let call), .voicemail(let call): recipe = call
        // An emailed voicemail's report is voicemail.json, which its transcript is part of already.
        case .voicemailEmail, .reencode, .transcribe, .webhook: throw Failure.notFound
        }
        recipe.transcription = recipe.transcription ?? TranscriptionRequest()
        let enqueued = try await queue.enqueue(
            JobRequest(
                payload: .transcribe(TranscribeRecipe(call: recipe, parentJob: jobID)),
                idempotencyKey: "transcript:recording-\(id)"))
        metadata.transcribe = true
        metadata.transcriptJobID = enqueued.job.id
        try metadata.write(in: folder)
        return enqueued.job.id
    }

    /// Removes recording `id` and everything made from it: its job is cancelled if still pending, the job's row
    /// keeps no path of it, and the folder
    /// (inputs, outputs, report, transcripts, waveform, copies) disappears at once by a rename, then is removed.
    /// Media URLs die with the folder's nonce.
    public func delete(_ id: String) async throws {
        let (metadata, folder) = try metadata(of: id)
        // The processing job, the transcript jobs it queued, and one asked for later: none keeps a path of it.
        var jobIDs = [metadata.jobID, metadata.transcriptJobID].compactMap { $0 }
        if let jobID = metadata.jobID, let followUps = try await queue.job(jobID)?.result?.followUpJobs {
            jobIDs += followUps
        }
        for jobID in Set(jobIDs) {
            guard let job = try await queue.job(jobID) else { continue }
            if !job.status.isFinal { _ = try? await queue.cancel(jobID) }
            try await queue.scrubPaths(ofJob: jobID)
        }
        let doomed = storage.root.appendingPathComponent("uploads").appendingPathComponent(
            "deleted-\(RecordingID.random())")
        try FileManager.default.moveItem(at: folder, to: doomed)
        try FileManager.default.removeItem(at: doomed)
        if let events { _ = try await queue.enqueue(events.deleted(metadata)) }
    }

    static func report(in folder: URL) -> CallReport? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("call.json")) else { return nil }
        return try? JSONDecoder().decode(CallReport.self, from: data)
    }
}

extension Optional {
    fileprivate func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

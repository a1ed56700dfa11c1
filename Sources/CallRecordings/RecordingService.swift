import CallAudio
import CallAudioJobs
import CallMailSMTP
import CallTranscription
import CallVoicemail
import Foundation
import Jobs
import NIOPosix

/// What the routes and `callaudio-server delete` do with recordings, with no HTTP in it: take an upload in as a
/// recording and its job, describe a recording, delete one.
public struct RecordingService: Sendable {
    public let storage: any RecordingStorage
    /// The recordings' catalog, in the queue's database.
    public let catalog: any RecordingCatalog
    public var queue: any JobQueue { catalog.queue }
    public let signer: MediaSigner
    /// The webhook events to send, when a target is configured.
    public let events: RecordingEvents?
    /// The service's address as clients reach it (`https://calls.example.com`), put before the URLs a recording's
    /// JSON hands out; nil leaves them as paths.
    public let publicURL: String?
    /// The folder whose files an ingest request may name instead of uploading them; nil takes uploads only.
    public let ingestFolder: IngestFolder?
    /// The mail server emailed voicemails are sent through; nil refuses voicemails with recipients.
    public let mail: SMTPDestination?
    /// How many legs and how long a call one request may ask for.
    public let limits: IngestLimits

    public init(
        storage: any RecordingStorage, catalog: any RecordingCatalog, signer: MediaSigner,
        events: RecordingEvents? = nil, publicURL: String? = nil, ingestFolder: IngestFolder? = nil,
        mail: SMTPDestination? = nil, limits: IngestLimits = IngestLimits()
    ) {
        self.storage = storage
        self.catalog = catalog
        self.signer = signer
        self.events = events
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.ingestFolder = ingestFolder
        self.mail = mail
        self.limits = limits
    }

    /// Why a request about a recording cannot be served.
    public enum Failure: Error, Equatable {
        case notFound
        case badInput(String)
    }

    /// Turns an upload already in `staging` into recording folder and queued job; a repeat of the same call id
    /// returns the existing recording and discards the upload.
    public func ingest(kind: RecordingMetadata.Kind, form: IngestForm, staging: URL) async throws
        -> RecordingMetadata
    {
        try Self.refuseUnknownParts(of: form, kind: kind)
        let legs = try await legs(of: form, kind: kind, staging: staging)
        let fields: IngestFields
        let details: CallDetails
        let email: VoicemailEmailFields?
        let (emailFields, detailFields) =
            kind == .voicemail ? VoicemailEmailFields.split(form.fields) : ([:], form.fields)
        do {
            fields = try IngestFields(form.fields, legCount: legs.count)
            details = try CallDetails(detailFields)
            try limits.checkLength(of: legs, fields: fields, names: Self.legNames(kind: kind, count: legs.count))
            email = kind == .voicemail ? try VoicemailEmailFields(emailFields) : nil
        } catch {
            throw Failure.badInput(error.message)
        }
        if email != nil, mail == nil { throw Failure.badInput("to: this service sends no email (serve --smtp URL)") }
        let id = fields.callID.map { signer.recordingID(forKey: $0, kind: kind.rawValue) } ?? RecordingID.random()
        guard let folder = storage.folder(of: id) else { throw Failure.notFound }
        var metadata = RecordingMetadata(
            id: id, kind: kind, callID: fields.callID, jobID: nil, mediaNonce: RecordingID.random(),
            // An emailed voicemail's transcript is in its email, not in transcript files.
            transcribe: fields.transcribe && email == nil, createdAt: Date(),
            outputName: email == nil ? nil : RecordingMetadata.emailedVoicemailName, details: details)
        try metadata.json().write(to: staging.appendingPathComponent(RecordingMetadata.fileName))
        guard try await storage.create(id, from: staging) else {
            // The call id was seen before: its recording stands, this upload goes.
            guard let existing = try await storage.metadata(of: id) else { throw Failure.notFound }
            return existing
        }
        let inputs = legs.map { "\(folder)/\($0.lastPathComponent)" }
        let use: Enhancement.Use = kind == .voicemail ? .voicemail : .call
        let payload: JobPayload
        if let email {
            let recipe = email.recipe(
                input: inputs[0], folder: folder, transcribe: fields.transcribe,
                enhancement: fields.enhancement(for: use))
            payload = .voicemailEmail(VoicemailEmailJob(email: recipe, smtp: mail))
        } else {
            var recipe = fields.recipe(legs: inputs, folder: folder, use: use)
            recipe.maxDuration = limits.maxCallSeconds
            payload = kind == .voicemail ? .voicemail(recipe) : .call(recipe)
        }
        let recording = Recording(
            id: id, kind: kind, callID: fields.callID, details: details,
            transcript: metadata.transcribe ? .requested : .none, email: email == nil ? nil : .pending,
            createdAt: metadata.createdAt)
        let enqueued = try await catalog.enqueue(
            try JobRequest(
                payload: payload, idempotencyKey: Self.jobKey(kind: kind, callID: fields.callID, recording: id)),
            recording: recording)
        metadata.jobID = enqueued.job.id
        try await storage.write(metadata)
        if kind == .voicemail, let events { _ = try await queue.enqueue(try events.voicemailReceived(metadata)) }
        return metadata
    }

    /// The legs in leg order (`leg1`, `leg2`, ... for a call, `file` for a voicemail): each an uploaded part, or
    /// a text part naming a file in the ingest folder, copied into `staging`.
    private func legs(of form: IngestForm, kind: RecordingMetadata.Kind, staging: URL) async throws -> [URL] {
        let names: [String]
        switch kind {
        case .voicemail:
            names = Self.legNames(kind: kind, count: 1)
        case .call:
            let given = Set(form.files.keys).union(form.fields.keys.filter { Self.isLegName($0) })
            names = Self.legNames(kind: kind, count: given.count).prefix { given.contains($0) }
            guard !names.isEmpty else { throw Failure.badInput("leg1: a call needs at least one leg") }
            guard names.count == given.count else {
                let extra = given.subtracting(names)
                throw Failure.badInput("\(extra.sorted().joined(separator: ", ")): not leg1 ... legN in order")
            }
            do {
                try limits.checkLegCount(names.count)
            } catch {
                throw Failure.badInput(error.message)
            }
        }
        var legs: [URL] = []
        for name in names {
            if let upload = form.files[name] {
                legs.append(upload)
                continue
            }
            guard let path = form.fields[name] else {
                throw Failure.badInput(
                    kind == .voicemail ? "file: the voicemail's audio is missing" : "\(name): the leg is missing")
            }
            guard let ingestFolder else {
                throw Failure.badInput("\(name): upload the file; this service names no ingest folder (serve --ingest)")
            }
            do {
                // Copied on NIO's blocking pool: Dispatch's global queue would be Swift concurrency's own threads.
                legs.append(
                    try await NIOThreadPool.singleton.runIfActive {
                        try ingestFolder.copy(path, field: name, into: staging)
                    })
            } catch let problem as FieldProblem {
                throw Failure.badInput(problem.message)
            }
        }
        return legs
    }

    /// A part the route does not know is refused by name rather than ignored: `ofsets=2=1.5` would otherwise
    /// quietly mix the legs unaligned.
    private static func refuseUnknownParts(of form: IngestForm, kind: RecordingMetadata.Kind) throws {
        let known: Set<String> =
            switch kind {
            case .call: IngestFields.callNames.union(CallDetails.fieldNames)
            case .voicemail: IngestFields.voicemailNames.union(VoicemailEmailFields.names).union(CallDetails.fieldNames)
            }
        let unknown = Set(form.files.keys).union(form.fields.keys).filter {
            !known.contains($0) && !(kind == .call && isLegName($0))
        }
        guard let first = unknown.sorted().first else { return }
        throw Failure.badInput(
            "\(String(reflecting: first)): POST /v1/\(kind == .call ? "calls" : "voicemails") has no such part (it takes "
                + "\(known.sorted().joined(separator: ", ")))")
    }

    /// The idempotency key of a recording's processing job, as `jobs list --key` finds it: a call's own call id
    /// (as `submit` keys one), `voicemail:CALL_ID` for a voicemail (a call and a voicemail may share an id), and
    /// `recording:ID` when the platform gave no call id.
    static func jobKey(kind: RecordingMetadata.Kind, callID: String?, recording id: String) -> String {
        guard let callID else { return "recording:\(id)" }
        return kind == .call ? callID : "voicemail:\(callID)"
    }

    /// The parts that carry the legs: `file` for a voicemail, `leg1` ... `legN` for a call.
    private static func legNames(kind: RecordingMetadata.Kind, count: Int) -> [String] {
        kind == .voicemail ? ["file"] : (0..<count).map { "leg\($0 + 1)" }
    }

    private static func isLegName(_ name: String) -> Bool {
        name.hasPrefix("leg") && name.count > 3 && name.dropFirst(3).allSatisfy(\.isNumber)
    }

    /// The metadata of recording `id`; `Failure.notFound` when there is none.
    public func metadata(of id: String) async throws -> RecordingMetadata {
        guard let metadata = try await storage.metadata(of: id) else { throw Failure.notFound }
        return metadata
    }

    /// Throws `Failure.notFound` unless recording `id` exists and is in `scope`: to a scoped caller, a recording
    /// outside its scope is one that does not exist.
    public func requireVisible(_ id: String, in scope: RecordingScope) async throws {
        guard let recording = try await catalog.recording(id), recording.status != .deleted,
            scope.contains(recording.details)
        else { throw Failure.notFound }
    }

    /// The recording as `GET /v1/recordings/{id}` shows it, with freshly signed media URLs that open until
    /// `linksExpire` (by default for the signer's lifetime from `now`); without `mayTranscribe`, its player link
    /// opens a page that cannot ask for a transcript.
    public func resource(of id: String, now: Date = Date(), linksExpire: Date? = nil, mayTranscribe: Bool = true)
        async throws -> RecordingResource
    {
        let metadata = try await metadata(of: id)
        guard let recording = try await catalog.recording(id), recording.status != .deleted else {
            throw Failure.notFound
        }
        let job = try await metadata.jobID.asyncFlatMap { try await queue.job($0) }
        let transcriptJob =
            recording.transcript == .failed
            ? try await recording.transcriptJobID.asyncFlatMap { try await queue.job($0) } : nil
        let report = try await storage.report(of: metadata)
        let status = recording.status.rawValue
        let outputs = try await storage.fileNames(of: id).filter { $0.hasPrefix(metadata.baseName) }.sorted()
        let origin = publicURL ?? ""
        let base = "\(origin)/v1/recordings/\(id)"
        let expires = linksExpire ?? now + signer.lifetime
        let sign = { (variant: String) in
            signer.query(recording: id, nonce: metadata.mediaNonce, variant: variant, expires: expires)
        }
        return RecordingResource(
            id: id, kind: metadata.kind, callID: metadata.callID, details: recording.details, status: status,
            stage: status == "processing" ? job?.progress?.stage : nil,
            progress: status == "processing" ? job?.progress?.percent : nil,
            duration: status == "ready" ? report?.duration : nil,
            legs: (report?.legs ?? []).map {
                RecordingResource.Leg(role: $0.role, format: $0.format, duration: $0.duration, offset: $0.offset)
            },
            outputs: outputs,
            transcript: recording.transcript.rawValue,
            transcriptError: recording.transcript == .failed ? transcriptJob?.failure?.message ?? "cancelled" : nil,
            email: metadata.outputName == RecordingMetadata.emailedVoicemailName
                ? RecordingResource.EmailStatus(try await storage.voicemailReport(of: id)) : nil,
            error: status == "failed" ? job?.failure?.message ?? "cancelled" : nil,
            url: base, audioURL: "\(base)/audio.mp3?\(sign("audio.mp3"))",
            playerURL:
                "\(origin)/recordings/\(id)?\(sign(mayTranscribe ? MediaSigner.player : MediaSigner.readOnlyPlayer))",
            waveformURL: "\(base)/waveform.json?\(sign("waveform.json"))")
    }

    /// The page `request` asks for: recordings newest call first, each as `resource(of:)` shows it (links open
    /// until `linksExpire`, players that may ask for a transcript when `mayTranscribe`), and the cursor of the
    /// next page.
    public func list(
        _ request: RecordingListRequest, now: Date = Date(), linksExpire: Date? = nil, mayTranscribe: Bool = true
    ) async throws -> RecordingList {
        let page = try await catalog.recordings(matching: request.filter, limit: request.limit, after: request.cursor)
        var resources: [RecordingResource] = []
        for recording in page.recordings {
            do {
                resources.append(
                    try await resource(
                        of: recording.id, now: now, linksExpire: linksExpire, mayTranscribe: mayTranscribe))
            } catch Failure.notFound {
                continue  // deleted while the page was read
            }
        }
        return RecordingList(recordings: resources, nextCursor: page.nextCursor?.token)
    }

    /// The transcript segments `request` asks for, each with a signed player link that opens at it (until
    /// `linksExpire`, as `resource(of:)` signs it with `mayTranscribe`). Transcripts that became ready since the
    /// last search are indexed first, so a search sees every ready transcript.
    public func search(
        _ request: RecordingSearchRequest, now: Date = Date(), linksExpire: Date? = nil, mayTranscribe: Bool = true
    ) async throws -> SearchResults {
        try await indexTranscripts()
        let page = try await catalog.search(
            request.query, matching: request.filter, limit: request.limit, after: request.cursor)
        // Each recording's media nonce, read once: a recording deleted while the page was read has none.
        var nonces: [String: String] = [:]
        for id in Set(page.hits.map(\.recordingID)) { nonces[id] = try await storage.metadata(of: id)?.mediaNonce }
        var hits: [SearchResults.Hit] = []
        for hit in page.hits {
            let id = hit.recordingID
            guard let nonce = nonces[id] else { continue }
            let player = signer.query(
                recording: id, nonce: nonce, variant: mayTranscribe ? MediaSigner.player : MediaSigner.readOnlyPlayer,
                expires: linksExpire ?? now + signer.lifetime)
            hits.append(
                SearchResults.Hit(
                    recordingID: id, start: hit.segment.start, end: hit.segment.end, speaker: hit.segment.speaker,
                    text: hit.segment.text,
                    playerURL: "\(publicURL ?? "")/recordings/\(id)?\(player)#t=\(Self.seconds(hit.segment.start))"))
        }
        return SearchResults(hits: hits, nextCursor: page.nextCursor?.token)
    }

    /// `12.5`, `3`: a time for a URL fragment, to the millisecond.
    private static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }

    /// Makes searchable every transcript that became ready and is not yet: its segments, read from the
    /// recording's `.transcript.json`, go into the catalog's index.
    public func indexTranscripts() async throws {
        while case let ids = try await catalog.recordingsAwaitingIndex(limit: 100), !ids.isEmpty {
            for id in ids {
                let segments = try await storage.metadata(of: id).asyncFlatMap { try await transcript(of: $0) }
                // A transcript that cannot be read is indexed as empty rather than tried forever.
                try await catalog.index(segments ?? [], of: id)
            }
        }
    }

    /// The segments of the recording's transcript file; nil when it has none or it cannot be read.
    func transcript(of metadata: RecordingMetadata) async throws -> [IndexedSegment]? {
        guard let data = try await storage.data("\(metadata.baseName).transcript.json", of: metadata.id),
            let transcript = try? JSONDecoder().decode(Transcript.self, from: data)
        else { return nil }
        return transcript.segments.map {
            IndexedSegment(start: $0.start, end: $0.end, speaker: $0.speaker, text: $0.text)
        }
    }

    /// Records in the catalog every recording folder it does not have yet (folders made before the catalog
    /// existed), with states read from its jobs and files. A bucket holds no recording from before the catalog.
    /// - Returns: how many were new to the catalog.
    @discardableResult
    public func importFolders() async throws -> Int {
        var found: [Recording] = []
        guard let folders = storage as? LocalRecordingStorage else { return 0 }
        for id in folders.recordingIDs() {
            guard let metadata = try await storage.metadata(of: id) else { continue }
            let job = try await metadata.jobID.asyncFlatMap { try await queue.job($0) }
            let transcriptJob = try await metadata.transcriptJobID.asyncFlatMap { try await queue.job($0) }
            let hasTranscript = try await hasTranscript(metadata)
            let hasReport = try await storage.report(of: metadata) != nil
            let email = try await storage.voicemailReport(of: id)?.delivery.map {
                $0.status == .sent ? Recording.EmailStatus.sent : .failed
            }
            let recording = Recording(
                id: id, kind: metadata.kind, callID: metadata.callID, details: metadata.details ?? CallDetails(),
                status: job.map { Recording.Status(job: $0.status) }
                    ?? (hasReport ? .ready : .queued),
                transcript: hasTranscript
                    ? .ready
                    : transcriptJob.map { Recording.TranscriptStatus(job: $0.status) }
                        ?? (metadata.transcribe ? .requested : .none),
                email: metadata.outputName == RecordingMetadata.emailedVoicemailName ? email ?? .pending : nil,
                jobID: metadata.jobID, transcriptJobID: metadata.transcriptJobID, createdAt: metadata.createdAt)
            found.append(recording)
        }
        return try await catalog.importRecordings(found)
    }

    /// Queues the transcript of a recording whose audio is done (a `transcribe` job with the worker's default
    /// engine, from the recording's own legs, offsets and roles), once: asking again returns the same job, and
    /// runs it again when it failed.
    /// - Returns: the job's id.
    public func requestTranscript(of id: String) async throws -> Int64 {
        var metadata = try await metadata(of: id)
        guard let jobID = metadata.jobID, let job = try await queue.job(jobID) else { throw Failure.notFound }
        var recipe: CallRecipe
        switch try job.payload {
        case .call(let call), .voicemail(let call): recipe = call
        case .voicemailEmail:
            throw Failure.badInput("an emailed voicemail is transcribed into its email (send transcribe=true)")
        case .reencode, .transcribe, .webhook, .prompt: throw Failure.notFound
        }
        recipe.transcription = recipe.transcription ?? TranscriptionRequest()
        let enqueued = try await queue.enqueue(
            try JobRequest(
                payload: .transcribe(TranscribeRecipe(call: recipe, parentJob: jobID)),
                idempotencyKey: "transcript:recording-\(id)"))
        if !enqueued.isNew, enqueued.job.status == .dead || enqueued.job.status == .cancelled {
            _ = try await queue.retry(enqueued.job.id)
        }
        metadata.transcribe = true
        metadata.transcriptJobID = enqueued.job.id
        try await storage.write(metadata)
        return enqueued.job.id
    }

    /// Removes recording `id` and everything made from it: its jobs are cancelled if still pending, and they and
    /// the events announced about it keep no path or personal field of it in the queue (`Job.scrubbed()`); the
    /// folder (inputs, outputs, report, transcripts, waveform, copies) disappears at once by a rename, then is
    /// removed (every object of it, from a bucket). Media URLs die with the recording's nonce.
    public func delete(_ id: String) async throws {
        let metadata = try await metadata(of: id)
        // The processing job, the transcript jobs it queued, and one asked for later.
        var jobIDs = [metadata.jobID, metadata.transcriptJobID].compactMap { $0 }
        if let jobID = metadata.jobID, let followUps = try await queue.job(jobID)?.result?.followUpJobs {
            jobIDs += followUps
        }
        var doomed = Set(jobIDs)
        for key in RecordingEvents.idempotencyKeys(of: metadata, jobs: jobIDs) {
            doomed.formUnion(try await queue.jobs(matching: JobFilter(key: key), limit: 1).map(\.id))
        }
        for jobID in doomed {
            guard let job = try await queue.job(jobID) else { continue }
            if !job.status.isFinal { _ = try? await queue.cancel(jobID) }
            try await queue.scrub(job: jobID)
        }
        try await storage.delete(id)
        try await catalog.markDeleted(id, at: Date())
        if let events { _ = try await queue.enqueue(try events.deleted(metadata)) }
    }

    /// Deletes every recording of conversation `id` by the one deletion path (`delete(_:)`): files, stored inputs,
    /// jobs scrubbed, URLs revoked, a `recording.deleted` event each. Doing it again finds nothing left to do.
    /// - Returns: how many recordings went.
    @discardableResult
    public func deleteConversation(_ id: String) async throws -> Int {
        var filter = RecordingFilter()
        filter.conversationID = id
        var deleted = 0
        while case let page = try await catalog.recordings(matching: filter, limit: 100, after: nil),
            !page.recordings.isEmpty
        {
            for recording in page.recordings {
                do {
                    try await delete(recording.id)
                } catch Failure.notFound {
                    // Its folder is gone already (a deletion cut short): the catalog forgets it too.
                    try await catalog.markDeleted(recording.id, at: Date())
                }
                deleted += 1
            }
        }
        return deleted
    }

    /// True when the recording's transcript file exists.
    public func hasTranscript(_ metadata: RecordingMetadata) async throws -> Bool {
        try await storage.object("\(metadata.baseName).transcript.json", of: metadata.id) != nil
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

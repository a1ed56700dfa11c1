import CallAudio
import CallAudioJobs
import CallPrompts
import Foundation
import Jobs

/// What the prompt routes do, with no HTTP in it: take an uploaded or browser-recorded greeting, drop or
/// disclosure in as a prompt and its `prompt` job (the code `callaudio prompt` runs), describe and list prompts,
/// make one active per owner and kind, find the active one for the phone system, delete one.
///
/// A prompt's files live in the storage as a recording's do, in a folder of their own named by the prompt's id
/// (the upload as `upload.EXT`, the renditions under the names `callaudio prompt` writes), so that a bucket
/// serves API nodes and workers with no disk in common.
public struct PromptService: Sendable {
    public let storage: any RecordingStorage
    public let catalog: any PromptCatalog
    public let queue: any JobQueue
    public let signer: MediaSigner
    /// The service's address as clients reach it, put before the URLs handed out; nil leaves them as paths.
    public let publicURL: String?

    public init(
        storage: any RecordingStorage, catalog: any PromptCatalog, queue: any JobQueue, signer: MediaSigner,
        publicURL: String?
    ) {
        self.storage = storage
        self.catalog = catalog
        self.queue = queue
        self.signer = signer
        self.publicURL = publicURL
    }

    /// Why a request about a prompt cannot be served.
    public enum Failure: Error, Equatable {
        case notFound
        case badInput(String)
        /// The prompt exists but cannot do this yet (activate one that is not ready).
        case notReady(String)
    }

    /// The renditions a ready prompt serves, by file name.
    public static let files = PromptRendition.all.map(\.file)
    /// The most prompts one list answers.
    public static let maximumListed = 500
    /// What a rendition's signed link is bound to besides the prompt's id (a prompt's id is never a recording's,
    /// and its links die with its row and files).
    static let linkNonce = "prompt"
    /// The signed variant of a recording page's link.
    static let recorderVariant = "prompt-recorder"

    /// Takes `form` (the parts `file`, `kind`, `owner`, `name`, its file already in `staging`) in as a prompt
    /// and queues its rendering; `staging` is used up either way.
    public func create(form: IngestForm, staging: URL) async throws -> PromptResource {
        defer { try? FileManager.default.removeItem(at: staging) }
        let known = PromptFields.names.union(["file"])
        if let unknown = Set(form.files.keys).union(form.fields.keys).subtracting(known).sorted().first {
            throw Failure.badInput(
                "\(String(reflecting: unknown)): POST /v1/prompts has no such part (it takes \(known.sorted().joined(separator: ", ")))"
            )
        }
        guard let upload = form.files["file"] else { throw Failure.badInput("file: the prompt's audio is missing") }
        let fields: PromptFields
        do {
            fields = try PromptFields(form.fields)
        } catch {
            throw Failure.badInput(error.message)
        }
        let id = RecordingID.random()
        guard let folder = storage.folder(of: id) else { throw Failure.notFound }
        let input = upload.pathExtension.isEmpty ? "upload" : "upload.\(upload.pathExtension)"
        try FileManager.default.moveItem(at: upload, to: staging.appendingPathComponent(input))
        guard try await storage.create(id, from: staging) else { throw Failure.notFound }
        let recipe = PromptRecipe(
            input: "\(folder)/\(input)", kind: fields.kind, outputDirectory: folder,
            enhancement: Enhancement.recommendedHere(for: .prompt).enhancement)
        let prompt = Prompt(
            id: id, kind: fields.kind, owner: fields.owner, name: fields.name,
            uploadName: Self.uploadName(form.clientFileNames["file"]), createdAt: Date())
        do {
            _ = try await catalog.enqueue(
                try JobRequest(payload: .prompt(recipe), idempotencyKey: "prompt:\(id)"), prompt: prompt)
        } catch {
            try? await storage.delete(id)
            throw error
        }
        return try await resource(of: id)
    }

    /// The prompt as `GET /v1/prompts/{id}` shows it, its renditions' links open until `linksExpire` (by default
    /// for the signer's lifetime from `now`).
    public func resource(of id: String, now: Date = Date(), linksExpire: Date? = nil) async throws -> PromptResource {
        try await resource(of: try prompt(id), now: now, linksExpire: linksExpire)
    }

    /// The prompts of `owner` and `kind` (nil: any), newest first, at most `limit`.
    public func list(owner: String?, kind: PromptKind?, limit: Int, now: Date = Date(), linksExpire: Date? = nil)
        async throws -> PromptList
    {
        var resources: [PromptResource] = []
        for prompt in try await catalog.prompts(owner: owner, kind: kind, limit: limit) {
            resources.append(try await resource(of: prompt, now: now, linksExpire: linksExpire))
        }
        return PromptList(prompts: resources)
    }

    /// Makes prompt `id` the active one of its owner and kind (the previous one inactive); only a ready prompt
    /// may be.
    public func activate(_ id: String) async throws -> PromptResource {
        let current = try await resource(of: id)
        guard current.status == .ready else {
            throw Failure.notReady("the prompt is \(current.status.rawValue); only a ready prompt can be active")
        }
        guard try await catalog.activate(id) else { throw Failure.notFound }
        return try await resource(of: id)
    }

    /// The id of the active prompt of `owner` and `kind`, whose rendition `file` the phone system fetches.
    public func activePromptID(owner: String, kind: PromptKind, file: String) async throws -> String {
        guard Self.files.contains(file), let prompt = try await catalog.activePrompt(owner: owner, kind: kind) else {
            throw Failure.notFound
        }
        return prompt.id
    }

    /// True when `token` and `expires` open rendition `file` of prompt `id`.
    public func accepts(token: String, expires: String, prompt id: String, file: String) -> Bool {
        Self.files.contains(file)
            && signer.accepts(token: token, expires: expires, recording: id, nonce: Self.linkNonce, variant: file)
    }

    /// Removes prompt `id`: gone from lists and from being active at once, its job cancelled if still pending,
    /// then its files.
    public func delete(_ id: String) async throws {
        let prompt = try await prompt(id)
        try await catalog.removePrompt(id)
        if let jobID = prompt.jobID, let job = try await queue.job(jobID), !job.status.isFinal {
            _ = try? await queue.cancel(jobID)
        }
        try await storage.delete(id)
    }

    // MARK: Recording in the browser

    /// The path and query of a recording page that saves one prompt of `fields`, open until `expires`.
    public func recordingLink(for fields: PromptFields, expires: Date) -> String {
        var query = URLComponents()
        query.queryItems = [
            URLQueryItem(name: "kind", value: fields.kind.rawValue), URLQueryItem(name: "owner", value: fields.owner),
            URLQueryItem(name: "name", value: fields.name),
        ]
        let signed = signer.query(
            recording: Self.recorderVariant, nonce: Self.recorderNonce(fields), variant: fields.kind.rawValue,
            expires: expires)
        return "\(publicURL ?? "")/prompts/record?\(query.percentEncodedQuery ?? "")&\(signed)"
    }

    /// The prompt fields a recording page's query (`kind`, `owner`, `name`, `expires`, `token`) was signed for;
    /// nil when the link was altered or has expired.
    public func recordingLinkFields(_ query: [String: String], now: Date = Date()) -> PromptFields? {
        guard let fields = try? PromptFields(query), let token = query["token"], let expires = query["expires"],
            signer.accepts(
                token: token, expires: expires, recording: Self.recorderVariant, nonce: Self.recorderNonce(fields),
                variant: fields.kind.rawValue, now: now)
        else { return nil }
        return fields
    }

    /// Owner and name as one signed value (neither may hold a control character, so the newline between them
    /// cannot be forged).
    private static func recorderNonce(_ fields: PromptFields) -> String { "\(fields.owner)\n\(fields.name)" }

    // MARK: -

    private func prompt(_ id: String) async throws -> Prompt {
        guard RecordingID.isValid(id), let prompt = try await catalog.prompt(id) else { throw Failure.notFound }
        return prompt
    }

    private func resource(of prompt: Prompt, now: Date, linksExpire: Date?) async throws -> PromptResource {
        let job = try await prompt.jobID.asyncFlatMap { try await queue.job($0) }
        let status = job.map { Prompt.Status(job: $0.status) } ?? .failed
        let base = "\(publicURL ?? "")/v1/prompts/\(prompt.id)"
        var files: [String: String] = [:]
        var duration: Double?
        if status == .ready, let data = try await storage.data(PromptProcessor.reportName, of: prompt.id),
            let report = try? JSONDecoder().decode(PromptReport.self, from: data)
        {
            duration = report.duration
            let expires = linksExpire ?? now + signer.lifetime
            for file in Self.files {
                let signed = signer.query(recording: prompt.id, nonce: Self.linkNonce, variant: file, expires: expires)
                files[file] = "\(base)/\(file)?\(signed)"
            }
        }
        return PromptResource(
            id: prompt.id, kind: prompt.kind, owner: prompt.owner, name: prompt.name, status: status,
            error: status == .failed ? Self.reason(job?.failure, upload: prompt.uploadName) : nil,
            duration: duration, active: prompt.active, files: files, createdAt: prompt.createdAt, url: base)
    }

    /// A failure in `callaudio prompt`'s words, the file it concerns named as the user named the upload (never
    /// a path of the storage or a worker).
    private static func reason(_ failure: JobFailure?, upload: String) -> String {
        guard let failure else { return "cancelled" }
        return failure.path == nil ? failure.message : "\(upload): \(failure.message)"
    }

    /// The client's name for the upload, as a reason may name it: its last path component, printable, at most
    /// 100 characters; `the upload` when it gave none.
    static func uploadName(_ given: String?) -> String {
        let last = (given ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let printable = String(last.unicodeScalars.filter { $0.properties.generalCategory != .control }.prefix(100))
        return printable.isEmpty ? "the upload" : printable
    }
}

extension RecordingService {
    /// The prompts kept in this service's storage and database.
    public var prompts: PromptService {
        PromptService(storage: storage, catalog: catalog, queue: queue, signer: signer, publicURL: publicURL)
    }
}

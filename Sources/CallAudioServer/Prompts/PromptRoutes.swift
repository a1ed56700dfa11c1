import CallPrompts
import CallRecordings
import Foundation
import Hummingbird

/// `/v1/prompts`: greetings, voicemail drops and recording disclosures uploaded (`POST`, multipart), described,
/// listed, made active (one per owner and kind), fetched by the phone system
/// (`GET /v1/prompts/active/{owner}/{kind}/{file}`) and deleted, all with the API key; each rendition served to a
/// signed link as recordings' files are (ranges, ETag).
struct PromptRoutes: Sendable {
    let prompts: PromptService
    let access: Access
    let media: MediaResponder
    /// The largest upload accepted, in bytes.
    let maxUploadBytes: Int

    /// The media type of each rendition, by file name.
    static let contentTypes: [String: String] = [
        "prompt-ulaw.wav": "audio/wav", "prompt-alaw.wav": "audio/wav", "prompt-8k.wav": "audio/wav",
        "prompt-16k.wav": "audio/wav", "prompt.opus": "audio/ogg", "prompt.mp3": "audio/mpeg",
    ]

    func add(to router: Router<some RequestContext>) {
        router.post("/v1/prompts") { request, context -> Response in
            try access.requireKey(request)
            let resource = try await receive(request)
            context.logger.info("accepted prompt", metadata: ["prompt": .string(resource.id)])
            return try JSON.response(
                IngestRoutes.Accepted(id: resource.id, status: resource.status.rawValue, url: resource.url),
                status: .accepted)
        }
        router.get("/v1/prompts") { request, _ -> Response in
            try access.requireKey(request)
            let parameters = try RecordingRoutes.parameters(of: request)
            let query = try PromptListQuery(parameters)
            return try JSON.response(
                try await prompts.list(owner: query.owner, kind: query.kind, limit: query.limit), status: .ok)
        }
        router.get("/v1/prompts/:id") { request, context -> Response in
            try access.requireKey(request)
            let lifetime = try RecordingRoutes.linkLifetime(of: request) ?? prompts.signer.lifetime
            let id = try context.parameters.require("id")
            let now = Date()
            return try JSON.response(
                try await mapPromptFailures {
                    try await prompts.resource(of: id, now: now, linksExpire: now + lifetime)
                },
                status: .ok)
        }
        router.delete("/v1/prompts/:id") { request, context -> Response in
            try access.requireKey(request)
            let id = try context.parameters.require("id")
            try await mapPromptFailures { try await prompts.delete(id) }
            return Response(status: .noContent)
        }
        router.post("/v1/prompts/:id/activate") { request, context -> Response in
            try access.requireKey(request)
            let id = try context.parameters.require("id")
            return try JSON.response(try await mapPromptFailures { try await prompts.activate(id) }, status: .ok)
        }
        router.get("/v1/prompts/active/:owner/:kind/:file") { request, context in try await activeFile(request, context)
        }
        router.head("/v1/prompts/active/:owner/:kind/:file") { request, context in
            try await activeFile(request, context)
        }
        router.get("/v1/prompts/:id/:file") { request, context in try await file(request, context) }
        router.head("/v1/prompts/:id/:file") { request, context in try await file(request, context) }
    }

    /// A multipart upload of a prompt (`file`, `kind`, `owner`, `name`) taken in as a queued prompt.
    func receive(_ request: Request, fields: PromptFields? = nil) async throws -> PromptResource {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxUploadBytes {
            throw HTTPError(.contentTooLarge, message: "the upload is larger than \(maxUploadBytes) bytes")
        }
        let staging = try prompts.storage.makeStagingFolder()
        do {
            var form = try await MultipartUpload.form(
                of: request.body, contentType: request.headers[.contentType], into: staging, maxBytes: maxUploadBytes)
            if let fields {
                // A recording page's upload: what it is was signed into its link, not taken from the page.
                guard form.fields.isEmpty else { throw HTTPError(.badRequest, message: "send the file part only") }
                form.fields = ["kind": fields.kind.rawValue, "owner": fields.owner, "name": fields.name]
            }
            return try await mapPromptFailures { try await prompts.create(form: form, staging: staging) }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// The phone system's fetch of the active prompt's rendition, with its API key; `404` when none is active.
    private func activeFile(_ request: Request, _ context: some RequestContext) async throws -> Response {
        try access.requireKey(request)
        let owner = try context.parameters.require("owner")
        let kindText = try context.parameters.require("kind")
        guard let kind = PromptKind(rawValue: kindText) else {
            throw HTTPError(.notFound, message: "\(kindText) is not a kind of prompt (greeting, drop, disclosure)")
        }
        let file = try context.parameters.require("file")
        let id = try await mapPromptFailures(notFound: "no active \(kind.rawValue) for this owner") {
            try await prompts.activePromptID(owner: owner, kind: kind, file: file)
        }
        return try await serve(file, of: id, request, context, missing: "no active \(kind.rawValue)")
    }

    /// A rendition of one prompt, to the API key or a link signed for exactly it.
    private func file(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let file = try context.parameters.require("file")
        if try access.caller(request) != nil {
            try access.requireKey(request)
            guard PromptService.files.contains(file) else {
                throw HTTPError(.notFound, message: "no such file of a prompt")
            }
            _ = try await mapPromptFailures { try await prompts.resource(of: id) }
        } else {
            let query = request.uri.queryParameters
            guard let token = query.get("token"), let expires = query.get("expires") else {
                throw HTTPError(
                    .unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing or unknown API key")
            }
            guard prompts.accepts(token: token, expires: expires, prompt: id, file: file) else {
                throw HTTPError(.forbidden, message: Access.invalidLink)
            }
        }
        return try await serve(file, of: id, request, context, missing: "\(file) is not available (yet)")
    }

    private func serve(
        _ name: String, of id: String, _ request: Request, _ context: some RequestContext, missing: String
    ) async throws -> Response {
        guard let object = try await prompts.storage.object(name, of: id), let type = Self.contentTypes[name] else {
            throw HTTPError(.notFound, message: missing)
        }
        return try await media.respond(
            to: request, file: StoredFile(name: name, recording: id, object: object), storage: prompts.storage,
            contentType: type, downloadName: nil, context: context)
    }
}

/// `GET /v1/prompts`' query: `owner`, `kind` and `limit` (1 to 500, 100 when not given).
struct PromptListQuery {
    var owner: String?
    var kind: PromptKind?
    var limit = 100

    init(_ parameters: [String: String]) throws {
        let known: Set = ["owner", "kind", "limit"]
        if let unknown = Set(parameters.keys).subtracting(known).sorted().first {
            throw HTTPError(.badRequest, message: "\(unknown): GET /v1/prompts takes owner, kind and limit")
        }
        if let owner = parameters["owner"] {
            self.owner = try FieldProblem.requireValid { () throws(FieldProblem) in
                try FieldProblem.plainText(owner, field: "owner", limit: 128)
            }
        }
        if let text = parameters["kind"] {
            guard let kind = PromptKind(rawValue: text) else {
                throw HTTPError(.badRequest, message: "kind: \(text) is not one of greeting, drop, disclosure")
            }
            self.kind = kind
        }
        if let text = parameters["limit"] {
            guard let limit = Int(text), (1...PromptService.maximumListed).contains(limit) else {
                throw HTTPError(
                    .badRequest,
                    message: "limit: \(text) is not a whole number from 1 to \(PromptService.maximumListed)")
            }
            self.limit = limit
        }
    }
}

/// The prompt service's failures as HTTP answers.
func mapPromptFailures<T>(notFound: String = "no such prompt", _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch PromptService.Failure.notFound {
        throw HTTPError(.notFound, message: notFound)
    } catch PromptService.Failure.badInput(let message) {
        throw HTTPError(.badRequest, message: message)
    } catch PromptService.Failure.notReady(let message) {
        throw HTTPError(.conflict, message: message)
    }
}

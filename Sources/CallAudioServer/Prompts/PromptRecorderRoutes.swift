import CallPrompts
import CallRecordings
import Foundation
import Hummingbird

/// Recording a prompt in the browser: the platform asks for a link (`POST /v1/prompts/recording-links`, API key,
/// JSON `{"owner", "kind", "name"}` and optionally `link_ttl` in seconds) and hands it to its user; the link opens
/// a page (`GET /prompts/record?...`, signed for that owner, kind and name, expiring) that records with
/// `MediaRecorder` and saves the recording as a prompt (`POST` to the same signed address, the file part only).
struct PromptRecorderRoutes: Sendable {
    let prompts: PromptRoutes
    let access: Access

    /// How long a recording link lives when the request does not say: an hour.
    static let defaultLifetime: TimeInterval = 3600

    /// The `201` body.
    struct Issued: Encodable {
        var url: String
        var expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case url
            case expiresAt = "expires_at"
        }
    }

    func add(to router: Router<some RequestContext>) {
        router.get("/prompt-recorder.js") { _, _ in PlayerRoutes.scriptResponse(PromptRecorderPage.script) }
        router.post("/v1/prompts/recording-links") { request, _ -> Response in
            try access.requireKey(request)
            let body = try await request.body.collect(upTo: 64 * 1024)
            let (fields, lifetime) = try Self.linkRequest(Data(body.readableBytesView))
            let expires = Date() + lifetime
            var response = try JSON.response(
                Issued(url: prompts.prompts.recordingLink(for: fields, expires: expires), expiresAt: expires),
                status: .created)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.get("/prompts/record") { request, context -> Response in
            guard let fields = try signedFields(request) else {
                context.logger.info("prompt recording page refused")
                return PlayerRoutes.htmlResponse(ExpiredLinkPage.html, status: .forbidden)
            }
            return PlayerRoutes.htmlResponse(
                PromptRecorderPage(fields: fields, uploadURL: request.uri.description).html, status: .ok,
                allowing: "media-src 'self' blob:")
        }
        router.post("/prompts/record") { request, context -> Response in
            guard let fields = try signedFields(request) else {
                throw HTTPError(.forbidden, message: Access.invalidLink)
            }
            let resource = try await prompts.receive(request, fields: fields)
            context.logger.info("accepted recorded prompt", metadata: ["prompt": .string(resource.id)])
            return try JSON.response(
                IngestRoutes.Accepted(id: resource.id, status: resource.status.rawValue, url: resource.url),
                status: .accepted)
        }
    }

    /// The prompt fields the request's signed query names; nil when the link was altered or has expired.
    private func signedFields(_ request: Request) throws -> PromptFields? {
        prompts.prompts.recordingLinkFields(try RecordingRoutes.parameters(of: request))
    }

    /// The fields and lifetime of a link request's JSON body, or `400` naming the field that is wrong.
    static func linkRequest(_ data: Data) throws -> (PromptFields, TimeInterval) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HTTPError(.badRequest, message: "send a JSON object with owner, kind and name")
        }
        let known: Set = ["owner", "kind", "name", "link_ttl"]
        if let unknown = Set(object.keys).subtracting(known).sorted().first {
            throw HTTPError(
                .badRequest, message: "\(unknown): not a field of a recording link (owner, kind, name, link_ttl)")
        }
        var strings: [String: String] = [:]
        for name in ["owner", "kind", "name"] {
            guard let value = object[name] else { continue }
            guard let text = value as? String else { throw HTTPError(.badRequest, message: "\(name): not a string") }
            strings[name] = text
        }
        let fields = try FieldProblem.requireValid { () throws(FieldProblem) in try PromptFields(strings) }
        var lifetime = defaultLifetime
        if let value = object["link_ttl"] {
            let range = MediaSigner.lifetimes
            guard let seconds = value as? Int, range.contains(seconds) else {
                throw HTTPError(
                    .badRequest,
                    message: "link_ttl: not whole seconds from \(range.lowerBound) to \(range.upperBound) (7 days)")
            }
            lifetime = TimeInterval(seconds)
        }
        return (fields, lifetime)
    }
}

import CallRecordings
import Foundation
import Hummingbird

/// `POST /v1/calls` and `POST /v1/voicemails`: a multipart upload streamed into a staging folder (`413` past
/// the size limit, nothing kept), then a recording and its job; `202` with the recording's id, status and URL.
struct IngestRoutes: Sendable {
    let service: RecordingService
    let access: Access
    /// The largest upload accepted, in bytes.
    let maxUploadBytes: Int
    /// The largest signed upload accepted, in bytes: held in memory until its signature is checked.
    let maxSignedUploadBytes: Int

    /// The `202` body.
    struct Accepted: Codable {
        var id: String
        var status: String
        var url: String
    }

    func add(to router: Router<some RequestContext>) {
        router.post("/v1/calls") { request, context in try await ingest(request, kind: .call, context: context) }
        router.post("/v1/voicemails") { request, context in
            try await ingest(request, kind: .voicemail, context: context)
        }
    }

    private func ingest(_ request: Request, kind: RecordingMetadata.Kind, context: some RequestContext) async throws
        -> Response
    {
        let signature = try access.requireKeyOrSignature(request)
        // A signed request is read into memory and verified before anything is stored: until then its sender is
        // nobody, and nobody may make the service write to disk.
        let limit = signature == nil ? maxUploadBytes : min(maxUploadBytes, maxSignedUploadBytes)
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw HTTPError(.contentTooLarge, message: "the upload is larger than \(limit) bytes")
        }
        guard MultipartUpload.boundary(contentType: request.headers[.contentType]) != nil else {
            throw HTTPError(.unsupportedMediaType, message: "send the legs as multipart/form-data")
        }
        var body = request.body
        if let signature {
            let whole = try await body.collect(upTo: limit)
            signature.update(whole.readableBytesView)
            try await access.finishSignature(signature)
            body = RequestBody(buffer: whole)
        }
        let staging = try service.storage.makeStagingFolder()
        do {
            let form = try await MultipartUpload.form(
                of: body, contentType: request.headers[.contentType], into: staging, maxBytes: maxUploadBytes)
            let metadata = try await mapFailures {
                try await service.ingest(kind: kind, form: form, staging: staging)
            }
            let resource = try await service.resource(of: metadata.id)
            context.logger.info(
                "accepted \(kind.rawValue)", metadata: ["recording": .string(metadata.id)])
            return try JSON.response(
                Accepted(id: metadata.id, status: resource.status, url: resource.url), status: .accepted)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }
}

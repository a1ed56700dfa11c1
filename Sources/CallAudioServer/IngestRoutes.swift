import Foundation
import Hummingbird

/// `POST /v1/calls` and `POST /v1/voicemails`: a multipart upload streamed into a staging folder (`413` past
/// the size limit, nothing kept), then a recording and its job; `202` with the recording's id, status and URL.
struct IngestRoutes: Sendable {
    let service: RecordingService
    let access: Access
    /// The largest upload accepted, in bytes.
    let maxUploadBytes: Int

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
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxUploadBytes {
            throw HTTPError(.contentTooLarge, message: "the upload is larger than \(maxUploadBytes) bytes")
        }
        guard let boundary = MultipartUpload.boundary(contentType: request.headers[.contentType]) else {
            throw HTTPError(.unsupportedMediaType, message: "send the legs as multipart/form-data")
        }
        let staging = try service.storage.makeStagingFolder()
        do {
            let form = try await MultipartUpload(boundary: boundary, folder: staging, maxBytes: maxUploadBytes)
                .receive(
                    request.body.map { buffer in
                        signature?.update(buffer.readableBytesView)
                        return buffer
                    })
            if let signature { try access.finishSignature(signature) }
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
            switch error {
            case MultipartUpload.UploadError.tooLarge:
                throw HTTPError(.contentTooLarge, message: "the upload is larger than \(maxUploadBytes) bytes")
            case MultipartUpload.UploadError.malformed(let message):
                throw HTTPError(.badRequest, message: message)
            default:
                throw error
            }
        }
    }
}

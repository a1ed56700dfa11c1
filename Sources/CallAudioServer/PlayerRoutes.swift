import CallRecordings
import Foundation
import Hummingbird

/// The player page (`GET /recordings/{id}?expires=...&token=...`), its script, the status it polls while the
/// recording or its transcript is being made (`GET /recordings/{id}/status`, signed like the page), and
/// `POST /v1/recordings/{id}/transcript` (a `transcribe` job, once per recording; a failed one runs again), which
/// the page's "Generate transcript" and "Try again" buttons call.
struct PlayerRoutes: Sendable {
    let service: RecordingService
    let access: Access

    func add(to router: Router<some RequestContext>) {
        router.get("/player.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=300"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: PlayerScript.source)))
        }
        router.get("/recordings/:id") { request, context -> Response in
            let (recording, folder) = try await access.recording(
                context.parameters.require("id"), variant: "player", for: request, in: service)
            let page = try await page(recording, folder: folder)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                    .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'; media-src 'self'",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: page.html)))
        }
        router.get("/recordings/:id/status") { request, context -> Response in
            let (recording, _) = try await access.recording(
                context.parameters.require("id"), variant: "player", for: request, in: service)
            var response = try JSON.response(
                PlayerStatus(try await mapFailures { try await service.resource(of: recording.id) }), status: .ok)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.post("/v1/recordings/:id/transcript") { request, context -> Response in
            let (recording, folder) = try await access.recording(
                context.parameters.require("id"), variant: "transcript", for: request, in: service)
            if RecordingResource.transcriptStatus(folder: folder, baseName: recording.baseName, requested: false)
                == "ready"
            {
                return try JSON.response(["transcript": "ready"], status: .ok)
            }
            _ = try await mapFailures { try await service.requestTranscript(of: recording.id) }
            return try JSON.response(["transcript": "requested"], status: .accepted)
        }
    }

    private func page(_ recording: RecordingMetadata, folder: URL) async throws -> PlayerPage {
        let id = recording.id
        let resource = try await mapFailures { try await service.resource(of: id) }
        let sign = { (variant: String) in
            service.signer.query(recording: id, nonce: recording.mediaNonce, variant: variant)
        }
        let audio = "/v1/recordings/\(id)/audio.mp3?\(sign("audio.mp3"))"
        return PlayerPage(
            recording: resource, status: String(decoding: try JSON.data(PlayerStatus(resource)), as: UTF8.self),
            audioURL: audio, downloadURL: audio + "&download=1",
            waveformURL: "/v1/recordings/\(id)/waveform.json?\(sign("waveform.json"))",
            transcriptRequestURL: "/v1/recordings/\(id)/transcript?\(sign("transcript"))",
            statusURL: "/recordings/\(id)/status?\(sign("player"))",
            segments: TranscriptSegments.read(in: folder))
    }
}

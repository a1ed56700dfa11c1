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
        router.get("/player.js") { _, _ in Self.scriptResponse(PlayerScript.source) }
        router.get("/recordings/:id") { request, context -> Response in
            let opened: Opened
            do {
                opened = try await access.recording(
                    context.parameters.require("id"), variant: MediaSigner.player, for: request, in: service)
            } catch let error as HTTPError where error.status == .forbidden {
                // A person opened this, not a program: the refusal is a page that says what happened.
                context.logger.info("player page refused", metadata: ["refused": .string(error.body ?? "")])
                return Self.htmlResponse(ExpiredLinkPage.html, status: .forbidden)
            }
            let page = try await page(opened)
            return Self.htmlResponse(page.html, status: .ok)
        }
        router.get("/recordings/:id/status") { request, context -> Response in
            let opened = try await access.recording(
                context.parameters.require("id"), variant: MediaSigner.player, for: request, in: service)
            var response = try JSON.response(
                PlayerStatus(try await mapFailures { try await service.resource(of: opened.metadata.id) }), status: .ok)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.post("/v1/recordings/:id/transcript") { request, context -> Response in
            let opened = try await access.recording(
                context.parameters.require("id"), variant: "transcript", for: request, in: service,
                needs: .transcribe)
            let recording = opened.metadata
            if try await service.hasTranscript(recording) {
                return try JSON.response(["transcript": "ready"], status: .ok)
            }
            _ = try await mapFailures { try await service.requestTranscript(of: recording.id) }
            return try JSON.response(["transcript": "requested"], status: .accepted)
        }
    }

    /// One of the pages' own scripts, cached for five minutes.
    static func scriptResponse(_ source: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=300"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: source)))
    }

    /// A page of the service's HTML, never cached, allowed only the service's own script, media and styles
    /// (`allowing` replaces the media rule: a recorder plays its own recording from a `blob:` URL).
    static func htmlResponse(
        _ html: String, status: HTTPResponse.Status, allowing media: String = "media-src 'self'"
    ) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'; \(media)",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The page, its links signed to open until the page's own link expires (or the access token that opened it),
    /// so that no link on it outlives the one that opened it, else for the signer's lifetime; it offers to make a
    /// transcript only to a caller that may ask for one.
    private func page(_ opened: Opened) async throws -> PlayerPage {
        let recording = opened.metadata
        let id = recording.id
        let now = Date()
        let expires = opened.linksExpire ?? now + service.signer.lifetime
        let resource = try await mapFailures { try await service.resource(of: id, now: now, linksExpire: expires) }
        let sign = { (variant: String) in
            service.signer.query(recording: id, nonce: recording.mediaNonce, variant: variant, expires: expires)
        }
        let audio = "/v1/recordings/\(id)/audio.mp3?\(sign("audio.mp3"))"
        return PlayerPage(
            recording: resource, status: String(decoding: try JSON.data(PlayerStatus(resource)), as: UTF8.self),
            audioURL: audio, downloadURL: audio + "&download=1",
            waveformURL: "/v1/recordings/\(id)/waveform.json?\(sign("waveform.json"))",
            transcriptRequestURL: opened.mayTranscribe ? "/v1/recordings/\(id)/transcript?\(sign("transcript"))" : nil,
            statusURL:
                "/recordings/\(id)/status?\(sign(opened.mayTranscribe ? MediaSigner.player : MediaSigner.readOnlyPlayer))",
            segments: TranscriptSegments(json: try await service.storage.data("call.transcript.json", of: id))?.segments
        )
    }
}

import CallAudio
import CallRecordings
import Foundation
import Hummingbird

/// `GET`/`DELETE /v1/recordings/{id}` and the files of a recording: `audio.mp3` (with `?speed=` copies and
/// `?download=1`), `waveform.json` and the transcript in its four forms.
struct RecordingRoutes: Sendable {
    let service: RecordingService
    let access: Access
    let media: MediaResponder
    let speedCopies: SpeedCopies

    /// The files a recording serves, by route name: the stored name after the recording's base name (`call`, or
    /// `voicemail` for an emailed voicemail) and its media type.
    static let files: [String: (suffix: String, contentType: String)] = [
        "audio.mp3": (".mp3", "audio/mpeg"),
        "waveform.json": (".waveform.json", "application/json"),
        "transcript.json": (".transcript.json", "application/json"),
        "transcript.vtt": (".vtt", "text/vtt; charset=utf-8"),
        "transcript.srt": (".srt", "application/x-subrip; charset=utf-8"),
        "transcript.txt": (".txt", "text/plain; charset=utf-8"),
    ]

    func add(to router: Router<some RequestContext>) {
        router.get("/v1/recordings") { request, _ -> Response in
            let grant = try access.grant(request, needs: .read)
            let parameters = try Self.parameters(of: request)
            var list = try FieldProblem.requireValid { () throws(FieldProblem) in
                try RecordingListRequest(parameters: parameters)
            }
            list.filter.scope = grant.scope
            let now = Date()
            return try JSON.response(
                try await service.list(
                    list, now: now, linksExpire: grant.linksExpire(lifetime: service.signer.lifetime, now: now),
                    mayTranscribe: grant.permissions.contains(.transcribe)),
                status: .ok)
        }
        router.get("/v1/recordings/search") { request, _ -> Response in
            let grant = try access.grant(request, needs: .read)
            let parameters = try Self.parameters(of: request)
            var search = try FieldProblem.requireValid { () throws(FieldProblem) in
                try RecordingSearchRequest(parameters: parameters)
            }
            search.filter.scope = grant.scope
            let now = Date()
            return try JSON.response(
                try await service.search(
                    search, now: now, linksExpire: grant.linksExpire(lifetime: service.signer.lifetime, now: now),
                    mayTranscribe: grant.permissions.contains(.transcribe)),
                status: .ok)
        }
        router.get("/v1/recordings/:id") { request, context -> Response in
            let grant = try access.grant(request, needs: .read)
            let lifetime = try Self.linkLifetime(of: request) ?? service.signer.lifetime
            let id = try context.parameters.require("id")
            let now = Date()
            let resource = try await mapFailures {
                try await grant.requireVisible(id, in: service)
                return try await service.resource(
                    of: id, now: now, linksExpire: grant.linksExpire(lifetime: lifetime, now: now),
                    mayTranscribe: grant.permissions.contains(.transcribe))
            }
            return try JSON.response(resource, status: .ok)
        }
        router.delete("/v1/recordings/:id") { request, context -> Response in
            let grant = try access.grant(request, needs: .delete)
            let id = try context.parameters.require("id")
            try await mapFailures {
                try await grant.requireVisible(id, in: service)
                try await service.delete(id)
            }
            return Response(status: .noContent)
        }
        router.delete("/v1/conversations/:id") { request, context -> Response in
            let grant = try access.grant(request, needs: .delete)
            let given = try context.parameters.require("id")
            let id = try FieldProblem.requireValid { () throws(FieldProblem) in
                try FieldProblem.plainText(given, field: "id")
            }
            if let scope = grant.scope, !scope.conversationIDs.contains(id) {
                throw HTTPError(.forbidden, message: "the access token's scope does not name this conversation")
            }
            try await service.deleteConversation(id)
            return Response(status: .noContent)
        }
        router.get("/v1/recordings/:id/:file") { request, context in try await file(request, context) }
        router.head("/v1/recordings/:id/:file") { request, context in try await file(request, context) }
    }

    private func file(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let name = try context.parameters.require("file")
        let id = try context.parameters.require("id")
        guard let served = Self.files[name] else {
            throw HTTPError(.notFound, message: "no such file of a recording")
        }
        let recording = try await access.recording(id, variant: name, for: request, in: service).metadata
        var stored = recording.baseName + served.suffix
        if name == "audio.mp3", let speedText = request.uri.queryParameters.get("speed") {
            stored = try await speedCopy(speedText, recording: recording)
        }
        guard let object = try await service.storage.object(stored, of: recording.id) else {
            throw HTTPError(.notFound, message: "\(name) is not available (yet)")
        }
        let download = request.uri.queryParameters.get("download") == "1"
        return try await media.respond(
            to: request, file: StoredFile(name: stored, recording: recording.id, object: object),
            storage: service.storage, contentType: served.contentType,
            downloadName: download ? Self.downloadName(recording, stored: stored) : nil, context: context)
    }

    /// The stored name of the copy at `speedText` (`call-1.5x.mp3`), one of the speeds the player offers,
    /// rendered from `call.mp3` on first request when the pipeline did not make it, and kept.
    private func speedCopy(_ speedText: String, recording: RecordingMetadata) async throws -> String {
        guard let speed = SpeedCopies.speed(speedText) else {
            let offered = ([1] + SpeedCopies.offered).sorted().map { String(format: "%g", $0) }.joined(separator: ", ")
            throw HTTPError(.badRequest, message: "speed: \(speedText) is not one of \(offered)")
        }
        let original = "\(recording.baseName).mp3"
        if speed == 1 { return original }
        let name = "\(recording.baseName)\(Enhancement.suffix(forSpeed: speed)).mp3"
        guard try await service.storage.object(name, of: recording.id) == nil else { return name }
        guard try await service.storage.object(original, of: recording.id) != nil else {
            throw HTTPError(.notFound, message: "audio.mp3 is not available (yet)")
        }
        try await speedCopies.make(name, of: recording.id, from: original, speed: speed, in: service.storage)
        return name
    }

    /// `?link_ttl=SECONDS`: how long the links in the answer live, from a minute to a week; nil when not given.
    static func linkLifetime(of request: Request) throws -> TimeInterval? {
        guard let text = request.uri.queryParameters.get("link_ttl") else { return nil }
        let range = MediaSigner.lifetimes
        guard let seconds = Int(text), range.contains(seconds) else {
            throw HTTPError(
                .badRequest,
                message:
                    "link_ttl: \(text) is not whole seconds from \(range.lowerBound) to \(range.upperBound) (7 days)")
        }
        return TimeInterval(seconds)
    }

    /// The request's query parameters by name; a name given twice is refused, since only one value can hold.
    static func parameters(of request: Request) throws -> [String: String] {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            guard parameters.updateValue(String(value), forKey: String(name)) == nil else {
                throw HTTPError(.badRequest, message: "\(name): given more than once")
            }
        }
        return parameters
    }

    /// `call-4711.mp3` (or `call-4711-1.5x.mp3`): the platform's call id when it gave one, else the recording id.
    static func downloadName(_ recording: RecordingMetadata, stored: String) -> String {
        let label = recording.callID ?? recording.id
        return stored.replacingOccurrences(
            of: recording.baseName, with: "\(recording.kind.rawValue)-\(label)", options: .anchored)
    }
}

/// The service's failures as HTTP answers.
func mapFailures<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch RecordingService.Failure.notFound {
        throw HTTPError(.notFound, message: "no such recording")
    } catch RecordingService.Failure.badInput(let message) {
        throw HTTPError(.badRequest, message: message)
    }
}

/// JSON bodies in the API's one style (snake_case keys are spelled by each type; dates ISO 8601).
enum JSON {
    static func response(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let data = try Self.data(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The body `response` sends: the same value encodes to the same bytes every time (keys sorted).
    static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }
}

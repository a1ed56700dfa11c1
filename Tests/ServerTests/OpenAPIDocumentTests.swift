import AudioTesting
import CallAudioServer
import CallRecordings
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/openapi.yaml` kept true: the routes it documents are exactly the router's, and a recording's JSON has
/// every field the document requires.
@Suite struct OpenAPIDocumentTests {
    /// `METHOD /path/{param}` for every operation under `paths:` (two-space path keys, four-space methods).
    static func operations(in yaml: String) -> Set<String> {
        var operations: Set<String> = []
        var path: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path,
                let method = ["get", "post", "put", "delete", "head", "patch"].first(where: {
                    line == "    \($0):"
                })
            {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test func theDocumentNamesExactlyTheRoutesTheServiceAnswers() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/yaml")
            let documented = Self.operations(in: String(buffer: response.body))
            let router = RecordingServer.makeRouter(service: harness.service, settings: .init(keys: APIKeys(["k"])))
            let routed = Set(
                router.routes.map { route in
                    let path = route.path.description.split(separator: "/").map {
                        $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0)
                    }.joined(separator: "/")
                    return "\(route.method) /\(path)"
                })
            // /metrics is not on this listener: `serve` answers it on one of its own (--metrics-port).
            #expect(documented == routed, "documented \(documented), routed \(routed)")
        }
    }

    @Test func aRecordingHasEveryFieldTheDocumentRequires() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let yaml = String(buffer: try await client.execute(uri: "/openapi.yaml", method: .get).body)
            let lines = yaml.split(separator: "\n").map(String.init)
            let schema = try #require(lines.firstIndex(of: "    Recording:"))
            let required = try #require(lines[schema...].first { $0.contains("required: [") })
            let fields = required.split(separator: "[").last!.dropLast().split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            #expect(fields.contains("audio_url"))
            var form = Multipart()
            try form.file("file", try harness.legs()[0])
            let accepted = try await client.execute(
                uri: "/v1/voicemails", method: .post, headers: form.headers, body: form.buffer)
            let id = try accepted.json(Accepted.self).id
            let json = try #require(
                try JSONSerialization.jsonObject(
                    with: try await client.execute(
                        uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized
                    ).data) as? [String: Any])
            for field in fields { #expect(json[field] != nil, "\(field) missing from GET /v1/recordings/{id}") }
        }
    }
}

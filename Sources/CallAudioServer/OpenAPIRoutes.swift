import Hummingbird

/// `GET /openapi.yaml`: the API described in OpenAPI 3.1, a real file (`Resources/openapi.yaml`, checked as YAML
/// and OpenAPI by the tests) embedded into the binary, so a deployment that copies only the executable still
/// serves it. ServerTests' OpenAPIDocumentTests keep it true: every route it names
/// exists and every route is named.
struct OpenAPIRoutes: Sendable {
    func add(to router: Router<some RequestContext>) {
        router.get("/openapi.yaml") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/yaml"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: Self.document)))
        }
    }

    /// `Resources/openapi.yaml`, embedded in the binary at build time.
    static let document = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}

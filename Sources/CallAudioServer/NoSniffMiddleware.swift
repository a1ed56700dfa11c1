import Hummingbird

/// Adds `X-Content-Type-Options: nosniff` to every answer, errors included: a browser must take JSON, the
/// transcript's text and the media as the types they are sent as, never guess a script or a page in them.
struct NoSniffMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}

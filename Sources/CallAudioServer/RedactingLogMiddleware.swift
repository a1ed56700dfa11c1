import Hummingbird

/// Logs each request once it is answered: method, path, status and the request id Hummingbird gives the
/// request's logger. Only the path is logged, never the query, so media tokens never reach the logs.
struct RedactingLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            let response = try await next(request, context)
            context.logger.info(
                "\(request.method) \(request.uri.path) \(response.status.code)")
            return response
        } catch let error as HTTPResponseError {
            context.logger.info("\(request.method) \(request.uri.path) \(error.status.code)")
            throw error
        }
    }
}

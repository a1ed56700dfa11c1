import Hummingbird
import Logging

/// Logs each request once it is answered: method, path, status and the request id Hummingbird gives the
/// request's logger, and for a refusal (`401`, `403`) why. Only the path is logged, never the query or the
/// headers, so neither media tokens nor API keys nor access tokens ever reach the logs; the reasons name no
/// credential either.
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
            var metadata: Logger.Metadata = [:]
            if let error = error as? HTTPError, [.unauthorized, .forbidden].contains(error.status),
                let reason = error.body
            {
                metadata["refused"] = .string(reason)
            }
            context.logger.info("\(request.method) \(request.uri.path) \(error.status.code)", metadata: metadata)
            throw error
        }
    }
}

import Hummingbird
import Synchronization

/// Answers `405 Method Not Allowed` with an `Allow` header when a request's path is one of the service's routes
/// but its method is not (RFC 9110 §15.5.6), where Hummingbird's router would say `404`: a client that sends
/// `PUT /v1/calls` learns the route exists and how to call it.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteMethods

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(matching: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            throw HTTPError(
                .methodNotAllowed, headers: [.allow: list],
                message: "\(request.method.rawValue) is not allowed here; use \(list)")
        }
    }
}

/// The methods of each route path (`/v1/recordings/{id}`), recorded once every route is registered (the
/// middleware that asks is added before them).
final class RouteMethods: Sendable {
    private let table = Mutex<[(segments: [Substring], methods: Set<HTTPRequest.Method>)]>([])

    func record<Context>(_ routes: [Router<Context>.RouteDescription]) {
        let grouped = Dictionary(grouping: routes) { $0.path.description }
        table.withLock { table in
            table = grouped.map { path, routes in (Self.segments(of: path), Set(routes.map(\.method))) }
        }
    }

    /// The methods of the route that matches `path` (a parameter segment, `{id}`, matches any one segment); where
    /// several match, the router takes the one with the most literal segments, and so does this.
    func methods(matching path: String) -> Set<HTTPRequest.Method> {
        let request = Self.segments(of: path)
        return table.withLock { table in
            var best: (literals: Int, methods: Set<HTTPRequest.Method>) = (-1, [])
            for route in table where route.segments.count == request.count {
                let isParameter = route.segments.map { $0.hasPrefix("{") || $0 == "*" }
                guard zip(zip(route.segments, request), isParameter).allSatisfy({ $0.0 == $0.1 || $1 }) else {
                    continue
                }
                let literals = isParameter.filter { !$0 }.count
                if literals > best.literals { best = (literals, route.methods) }
            }
            return best.methods
        }
    }

    private static func segments(of path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

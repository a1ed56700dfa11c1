import Dispatch

/// Blocking file work (copying a leg from the ingest folder) run on a Dispatch thread and awaited, off Swift
/// concurrency's few threads, which the service's requests need.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

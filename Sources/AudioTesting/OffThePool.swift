import Dispatch

/// Runs blocking `work` (a program run to its end, a long computation) on a Dispatch thread and awaits it.
/// Swift concurrency has only as many threads as cores, shared by every test running at once: a test that
/// blocks one of them for long stalls the others, live servers and their clients included.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

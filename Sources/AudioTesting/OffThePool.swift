import Foundation

/// Runs blocking `work` (a program run to its end, a long computation, a wait on a socket) on a thread of its own
/// and awaits it. Swift concurrency has only as many threads as cores, shared by every test running at once: a
/// test that blocks one of them for long stalls the others, live servers and their clients included. On Linux
/// `DispatchQueue.global()` is no way out: its threads are that same pool, so two long computations queued there
/// stall every other test for as long as they run. A thread of its own is time-sliced by the kernel instead.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

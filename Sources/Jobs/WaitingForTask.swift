import Dispatch

/// Runs `work` on Swift concurrency's pool and blocks the calling thread until it ends. Only for code on a
/// worker's own Dispatch thread (a runner, or the lease check before publishing), never on the pool itself.
public func waitingForTask<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
    let outcome = BlockingOutcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do {
            outcome.result = .success(try await work())
        } catch {
            outcome.result = .failure(error)
        }
        done.signal()
    }
    done.wait()
    return outcome.result ?? .failure(CancellationError())
}

/// The outcome of a blocking wait, handed from the task to the waiting thread.
private final class BlockingOutcome<T: Sendable>: @unchecked Sendable {
    // Written once before the semaphore is signalled and read after it is waited on.
    var result: Result<T, any Error>?
}

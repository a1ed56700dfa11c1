import Dispatch
import Foundation

/// Runs blocking `work` (a program run to its end, a long computation) on a Dispatch thread and awaits it.
/// Swift concurrency has only as many threads as cores, shared by every test running at once: a test that
/// blocks one of them for long stalls the others, live servers and their clients included.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// Runs blocking `work` that waits on the outside world (a socket, a child process) on a thread of its own and
/// awaits it: unlike `offThePool`, it cannot queue behind other tests' work, so what it waits for is seen when it
/// happens.
public func onThreadOfItsOwn<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

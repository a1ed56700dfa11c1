import Foundation

/// Polls `condition` until it holds or `timeout` passes: how tests observe other processes and threads.
/// - Throws: `EventuallyTimeout` naming `what` when the time runs out.
public func eventually(
    timeout: Duration = .seconds(60), _ what: String, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw EventuallyTimeout(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// What `eventually` throws when its condition never held.
public struct EventuallyTimeout: Error, CustomStringConvertible {
    public var what: String
    public var description: String { "timed out waiting for \(what)" }
}

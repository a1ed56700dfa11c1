import Foundation

/// Polls `condition` until it holds or `timeout` passes: how tests observe other processes and threads.
/// The timeout only ends a test that would wait forever; it times nothing. Its default is generous because the
/// whole suite shares Swift concurrency's threads (two on the CI machine) in turn: there, a test's next step has
/// been seen to wait four minutes behind the other tests' work (a trivial one took 250 s in a green run).
/// - Throws: `EventuallyTimeout` naming `what` when the time runs out.
public func eventually(
    timeout: Duration = .seconds(180), _ what: String, _ condition: () async throws -> Bool
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

import Synchronization

/// Wakes every task waiting for new work at once (a `NOTIFY` arrived); a waiter also wakes after its timeout.
package final class WakeSignal: Sendable {
    private let current = Mutex(Completion<Void>())

    package init() {}

    package func signal() {
        let woken = current.withLock { current in
            defer { current = Completion() }
            return current
        }
        woken.set()
    }

    package func wait(timeout: Double) async {
        let pending = current.withLock { $0 }
        await firstOf({ _ = await pending.wait() }, { try? await Task.sleep(for: .seconds(timeout)) })
    }
}

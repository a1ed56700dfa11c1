import Synchronization

/// A value that is set once and awaited by any number of tasks: how a worker thread hands its result to the
/// async side, and how the pool announces shutdown. Waiting is cancellable: a cancelled waiter gets nil.
package final class Completion<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiters: [Int: CheckedContinuation<Value?, Never>] = [:]
        var cancelled: Set<Int> = []
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    package init() {}

    package var isSet: Bool { state.withLock { $0.value != nil } }

    /// Sets the value and wakes every waiter; later calls are ignored.
    package func set(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// The value once set, or nil if the waiting task is cancelled first.
    package func wait() async -> Value? {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: Value?? = state.withLock { state in
                    if let value = state.value { return .some(value) }
                    if state.cancelled.remove(id) != nil { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume(returning: nil)
        }
    }
}

extension Completion where Value == Void {
    package func set() { set(()) }
}

/// Runs both operations and returns the first result, cancelling the other.
package func firstOf<T: Sendable>(
    _ first: @escaping @Sendable () async -> T, _ second: @escaping @Sendable () async -> T
) async -> T {
    await withTaskGroup(of: T.self) { group in
        group.addTask(operation: first)
        group.addTask(operation: second)
        let winner = await group.next()!
        group.cancelAll()
        return winner
    }
}

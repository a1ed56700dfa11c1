import AudioCore
import Foundation

/// A bounded first-in, first-out hand-over between one producing and one consuming thread.
final class ChunkBuffer: @unchecked Sendable {
    enum Item {
        case chunk(AudioChunk)
        case end
        case failure(any Error)
    }

    // Every stored property is guarded by `condition`, which is what makes the class safe to share.
    private let condition = NSCondition()
    private let capacity: Int
    private var items: [Item] = []
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity > 0, "a hand-over buffer holds at least one chunk")
        self.capacity = capacity
    }

    /// Waits for room and appends `item`; false when the consumer has gone, so the producer should stop.
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Waits for the next item and removes it; nil once the buffer is cancelled and empty.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !cancelled { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        // The end and failures stay, so reading past them keeps giving the same answer.
        if case .chunk = item {} else { items.insert(item, at: 0) }
        condition.broadcast()
        return item
    }

    /// Tells both sides to stop: `put` refuses from now on, and `take` returns nil once the buffer is empty.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Moves a non-`Sendable` stage (a source, a sink) to the thread that will run it. `@unchecked Sendable`
/// because ownership moves with it: the thread that made it does not use the stage while the other thread runs.
final class HandOver<Value>: @unchecked Sendable {
    private var value: Value?
    init(_ value: Value) { self.value = value }

    /// The value, given up: from here on the receiving thread holds the only reference, so it can free the value
    /// (and the C state and temporary files it owns) before saying it has stopped.
    func take() -> Value {
        defer { value = nil }
        return value!
    }
}

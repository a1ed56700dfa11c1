import Foundation

/// Clips handed from the thread that reads and cuts the legs to the thread that sends them to the engine, one
/// waiting at a time: the next clip is cut while the engine works on the ones taken (on a 2-core machine the engine
/// rarely keeps both cores busy), and no more than one clip waits.
final class ClipHandover<Item: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property is read and written only under `condition`.
    private let condition = NSCondition()
    private var waiting: Item?
    private var producerDone = false
    private var producerError: (any Error)?
    private var takerGone = false

    /// Hands `item` over once the previous one was taken. False when the taker has stopped: the producer stops too.
    func put(_ item: Item) -> Bool {
        condition.withLock {
            while waiting != nil && !takerGone { condition.wait() }
            guard !takerGone else { return false }
            waiting = item
            condition.broadcast()
            return true
        }
    }

    /// Says that nothing more comes, because all was handed over (`error` nil) or because `error` stopped the
    /// producer.
    func finish(throwing error: (any Error)? = nil) {
        condition.withLock {
            producerDone = true
            producerError = error
            condition.broadcast()
        }
    }

    /// The next item, or nil once the producer finished and everything was taken.
    /// - Throws: the error that stopped the producer, after the items handed over before it.
    func take() throws -> Item? {
        try condition.withLock {
            while waiting == nil && !producerDone { condition.wait() }
            if let item = waiting {
                waiting = nil
                condition.broadcast()
                return item
            }
            if let producerError { throw producerError }
            return nil
        }
    }

    /// The next `count` items, fewer at the end, none once the producer finished and everything was taken.
    /// - Throws: the error that stopped the producer, once no item handed over before it is left.
    func take(upTo count: Int) throws -> [Item] {
        var items: [Item] = []
        while items.count < count {
            do {
                guard let item = try take() else { break }
                items.append(item)
            } catch  where !items.isEmpty {
                break  // the items first; the next take throws the error again
            }
        }
        return items
    }

    /// Says that the taker stopped (it failed, or has all it needs): a producer waiting to hand over stops.
    func abandon() {
        condition.withLock {
            takerGone = true
            waiting = nil
            condition.broadcast()
        }
    }
}

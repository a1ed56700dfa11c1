import Foundation

/// Clips recognised side by side by an engine that takes several at once: every clip but the first on a thread of
/// its own, the first on the calling thread, and what was heard returned in the clips' order.
enum SideBySide {
    /// What `engine` heard in each of `clips`, in order, once all are done.
    /// - Throws: the error of the first clip (in order) that failed, once all are done.
    static func recognize(_ clips: [SpeechClip], by engine: some ConcurrentTranscriber) throws -> [[RecognizedSpeech]] {
        guard let first = clips.first else { return [] }
        let others = clips.dropFirst().map { clip in ThreadResult { try engine.transcribe(clip) } }
        let firstHeard = Result { try engine.transcribe(first) }
        let othersHeard = others.map { $0.wait() }
        return try ([firstHeard] + othersHeard).map { try $0.get() }
    }
}

/// The outcome of work running on a thread of its own.
private final class ThreadResult<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `outcome` is read and written only under `condition`.
    private let condition = NSCondition()
    private var outcome: Result<Value, any Error>?

    init(running work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            let finished = Result { try work() }
            condition.withLock {
                outcome = finished
                condition.broadcast()
            }
        }
    }

    /// The work's outcome, once it has finished.
    func wait() -> Result<Value, any Error> {
        condition.withLock {
            while outcome == nil { condition.wait() }
            return outcome!
        }
    }
}

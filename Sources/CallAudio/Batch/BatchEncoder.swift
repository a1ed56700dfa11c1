import AudioCore
import Dispatch
import Foundation
import Synchronization

/// Re-encodes many recordings on several worker threads. One file failing does not stop the others; outputs
/// newer than their input are skipped unless `force` is set, so an interrupted batch resumes where it stopped.
public struct BatchEncoder: Sendable {
    /// What happened to one file, reported as soon as it happens.
    public enum Event: Sendable {
        case encoded(EncodeResult)
        case skipped(EncodeRecipe)
        case failed(input: String, AudioError)
    }

    /// The closing figures of a batch.
    public struct Summary: Sendable, Equatable {
        public var encoded = 0
        public var skipped = 0
        public var failed = 0
        /// Seconds of audio encoded (skipped files not counted).
        public var audioSeconds = 0.0
        /// Wall-clock seconds the batch took.
        public var elapsedSeconds = 0.0

        /// Seconds of audio encoded per second of wall-clock time.
        public var realtimeFactor: Double { elapsedSeconds > 0 ? audioSeconds / elapsedSeconds : 0 }
    }

    public var workers: Int
    public var force: Bool

    public init(workers: Int, force: Bool = false) {
        precondition(workers > 0, "a batch needs at least one worker")
        self.workers = workers
        self.force = force
    }

    /// Encodes every recipe and returns the summary. `onEvent` is called once per file, never concurrently.
    public func run(_ recipes: [EncodeRecipe], onEvent: @Sendable (Event) -> Void = { _ in }) -> Summary {
        let start = DispatchTime.now()
        let state = Mutex((next: 0, summary: Summary()))
        DispatchQueue.concurrentPerform(iterations: min(workers, max(1, recipes.count))) { _ in
            while true {
                let index: Int? = state.withLock { state in
                    guard state.next < recipes.count else { return nil }
                    defer { state.next += 1 }
                    return state.next
                }
                guard let index else { return }
                let event = encode(recipes[index])
                state.withLock { state in
                    state.summary.record(event)
                    onEvent(event)
                }
            }
        }
        var summary = state.withLock { $0.summary }
        summary.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return summary
    }

    private func encode(_ recipe: EncodeRecipe) -> Event {
        if !force && Self.isUpToDate(recipe) { return .skipped(recipe) }
        do {
            return .encoded(try FileEncoder().run(recipe))
        } catch let error as AudioError {
            return .failed(input: recipe.input, error)
        } catch {
            return .failed(input: recipe.input, AudioError(.encodeFailed, path: recipe.input, "\(error)"))
        }
    }

    /// True when the output exists and is at least as new as the input.
    static func isUpToDate(_ recipe: EncodeRecipe) -> Bool {
        func modified(_ path: String) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        guard let output = modified(recipe.output), let input = modified(recipe.input) else { return false }
        return output >= input
    }
}

extension BatchEncoder.Summary {
    mutating func record(_ event: BatchEncoder.Event) {
        switch event {
        case .encoded(let result):
            encoded += 1
            audioSeconds += result.duration
        case .skipped: skipped += 1
        case .failed: failed += 1
        }
    }
}

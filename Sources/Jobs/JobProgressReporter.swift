import AudioCore
import Synchronization

/// Where a running job reports its stage and percent: the heartbeat sends the latest to the store, and the
/// time spent in each stage ends up in the job's result.
public final class JobProgressReporter: Sendable {
    private struct State {
        var current: JobProgress?
        var stageStart = ContinuousClock.now
        var timings: [StageTiming] = []
    }

    private let state = Mutex(State())
    private let onChange: (@Sendable (JobProgress) -> Void)?
    /// Set by the worker when the job must stop (its lease was lost, it was cancelled, shutdown gave it back):
    /// runners pass it to the audio library, which stops at the next chunk and publishes nothing.
    public let cancellation: CancellationFlag

    /// `confirmLease`, asked right before a runner publishes, says whether the worker still holds the job (see
    /// `CancellationFlag.init(confirmPublishing:)`); without it, publishing is always allowed. `onChange` is
    /// told every new stage and percent, on the runner's thread (an attempt process passes them to its worker).
    public init(
        confirmLease: (@Sendable () -> Bool)? = nil, onChange: (@Sendable (JobProgress) -> Void)? = nil
    ) {
        cancellation = CancellationFlag(confirmPublishing: confirmLease)
        self.onChange = onChange
    }

    /// Starts a new stage at 0 %, closing the previous one.
    public func begin(_ stage: String) {
        let started = JobProgress(stage: stage, percent: 0)
        state.withLock { state in
            Self.closeStage(&state)
            state.current = started
        }
        onChange?(started)
    }

    /// How far the current stage has come, 0 ... 100.
    public func report(percent: Double) {
        let current = state.withLock { state in
            state.current?.percent = min(max(percent, 0), 100)
            return state.current
        }
        if let current { onChange?(current) }
    }

    /// The latest progress, nil before the first stage.
    public var current: JobProgress? { state.withLock { $0.current } }

    /// Closes the current stage and returns the time spent in each.
    func finish() -> [StageTiming] {
        state.withLock { state in
            Self.closeStage(&state)
            state.current = nil
            return state.timings
        }
    }

    private static func closeStage(_ state: inout State) {
        let now = ContinuousClock.now
        if let stage = state.current?.stage {
            state.timings.append(StageTiming(stage: stage, seconds: (now - state.stageStart).seconds))
        }
        state.stageStart = now
    }
}

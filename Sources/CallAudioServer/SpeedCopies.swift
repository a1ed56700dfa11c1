import CallAudio
import CallRecordings
import Foundation
import NIOConcurrencyHelpers

/// The speed copies the player offers (`audio.mp3?speed=1.5`), rendered from `call.mp3` on first request and
/// kept: only the offered speeds, each file rendered once however many ask at the same time (single flight),
/// one render at a time on a thread of its own, so that renders never hold the threads that serve files and
/// compute ETags. A copy appears under its name only when whole.
final class SpeedCopies: Sendable {
    /// The speeds a copy may be asked for, besides 1 (the recording itself): the player's buttons.
    static let offered: [Double] = [0.5, 1.5, 2]

    /// Writes `input` played at `speed` to `output`.
    typealias Render = @Sendable (_ input: String, _ speed: Double, _ output: String) throws -> Void

    private let render: Render
    private let renders = DispatchQueue(label: "callaudio.speed-copies")
    private let inFlight = NIOLockedValueBox<[String: Task<Void, any Error>]>([:])

    init(
        render: @escaping Render = { input, speed, output in
            _ = try SpeedRenderer().run(input: input, speed: speed, output: output)
        }
    ) {
        self.render = render
    }

    /// The speed asked for when it is one the player offers (or 1); nil otherwise.
    static func speed(_ text: String) -> Double? {
        guard let speed = Double(text), speed == 1 || offered.contains(speed) else { return nil }
        return speed
    }

    /// Makes `output` from `input` at `speed` unless it exists; a request that finds the same copy being rendered
    /// waits for that render instead of starting another.
    func make(_ output: URL, from input: URL, speed: Double) async throws {
        let key = output.path
        let task = inFlight.withLockedValue { tasks in
            if let running = tasks[key] { return running }
            let task = Task { try await renderInPlace(output, from: input, speed: speed) }
            tasks[key] = task
            return task
        }
        defer { inFlight.withLockedValue { tasks in if tasks[key] == task { tasks[key] = nil } } }
        try await task.value
    }

    /// Renders under a hidden name beside `output` (never served), then renames it into place.
    private func renderInPlace(_ output: URL, from input: URL, speed: Double) async throws {
        if FileManager.default.fileExists(atPath: output.path) { return }
        let staging = output.deletingLastPathComponent().appendingPathComponent(
            ".\(output.lastPathComponent).rendering-\(UUID().uuidString)")
        do {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                renders.async { [render] in
                    done.resume(with: Result { try render(input.path, speed, staging.path) })
                }
            }
            guard rename(staging.path, output.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }
}

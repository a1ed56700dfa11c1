import CallAudio
import CallRecordings
import Foundation
import NIOConcurrencyHelpers

/// The speed copies the player offers (`audio.mp3?speed=1.5`), rendered from `call.mp3` on first request and
/// kept: only the offered speeds, each file rendered once however many ask at the same time (single flight),
/// one render at a time on a thread of its own, so that renders never hold the threads that serve files and
/// compute ETags. A copy appears under its name only when whole, in whichever storage holds the recording.
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

    /// Makes file `copy` of recording `id` from its file `original` at `speed` unless it exists; a request that
    /// finds the same copy being rendered waits for that render instead of starting another.
    func make(_ copy: String, of id: String, from original: String, speed: Double, in storage: any RecordingStorage)
        async throws
    {
        let key = "\(id)/\(copy)"
        let task = inFlight.withLockedValue { tasks in
            if let running = tasks[key] { return running }
            let task = Task { try await render(copy, of: id, from: original, speed: speed, in: storage) }
            tasks[key] = task
            return task
        }
        defer { inFlight.withLockedValue { tasks in if tasks[key] == task { tasks[key] = nil } } }
        try await task.value
    }

    /// Renders in a staging folder of this machine (the original fetched there first unless it is a local file),
    /// then stores the copy, which appears under its name only when whole.
    private func render(
        _ copy: String, of id: String, from original: String, speed: Double, in storage: any RecordingStorage
    ) async throws {
        if try await storage.object(copy, of: id) != nil { return }
        guard let source = try await storage.object(original, of: id) else { throw CocoaError(.fileNoSuchFile) }
        let staging = try storage.makeStagingFolder()
        defer { try? FileManager.default.removeItem(at: staging) }
        let input = source.localFile ?? staging.appendingPathComponent(original)
        if source.localFile == nil { try await storage.fetch(original, of: id, to: input) }
        let output = staging.appendingPathComponent(copy)
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            renders.async { [render] in
                done.resume(with: Result { try render(input.path, speed, output.path) })
            }
        }
        try await storage.store(output, as: copy, of: id)
    }
}

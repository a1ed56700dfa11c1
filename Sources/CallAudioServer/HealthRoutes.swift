import CallAudioJobs
import CallRecordings
import Foundation
import Hummingbird
import Jobs
import NIOConcurrencyHelpers
import ServiceLifecycle

/// `/livez` (the process answers) and `/readyz` (queue and storage reachable, not draining: else `503`).
struct HealthRoutes: Sendable {
    let service: RecordingService
    let draining: DrainFlag

    func add(to router: Router<some RequestContext>) {
        router.get("/livez") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            let problem = await problem()
            return Response(
                status: problem == nil ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: (problem ?? "ready") + "\n")))
        }
    }

    private func problem() async -> String? {
        if draining.isSet { return "draining" }
        do {
            _ = try await service.queue.jobs(status: .running, limit: 1)
        } catch {
            return "queue unreachable"
        }
        return await service.storage.problem()
    }
}

/// Set once the service group begins its graceful shutdown, so `/readyz` turns load balancers away while
/// running requests and jobs finish.
public final class DrainFlag: Sendable {
    private let value = NIOLockedValueBox(false)

    public init() {}

    public var isSet: Bool { value.withLockedValue { $0 } }

    func set() { value.withLockedValue { $0 = true } }
}

/// A service whose only work is to raise the drain flag when graceful shutdown begins.
public struct DrainWatcher: Service {
    let flag: DrainFlag

    public init(flag: DrainFlag) { self.flag = flag }

    public func run() async throws {
        try? await gracefulShutdown()
        flag.set()
    }
}

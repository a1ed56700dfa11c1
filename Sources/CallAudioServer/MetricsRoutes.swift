import CallAudioJobs
import Hummingbird
import Jobs
import Prometheus

/// `GET /metrics` in Prometheus' text format: requests by route and status and their durations (Hummingbird's
/// metrics middleware), media bytes served, the stage durations of jobs run in this process, and the queue's
/// jobs by kind and status, counted when scraped (so every API node reports the whole queue).
struct MetricsRoutes: Sendable {
    let queue: any JobQueue
    let registry: PrometheusCollectorRegistry

    func add(to router: Router<some RequestContext>) {
        router.get("/metrics") { _, _ -> Response in
            await countJobs()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    private static var jobs: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "callaudio", metricName: "jobs", unitName: "", helpText: "Jobs in the queue, by kind and status."
        )
    }

    /// Sets `callaudio_jobs{kind, status}` for every pair, zero where the queue has none.
    private func countJobs() async {
        guard let counts = try? await queue.jobCounts() else { return }
        for kind in JobKind.allCases {
            for status in JobStatus.allCases {
                let count = counts.first { $0.kind == kind.rawValue && $0.status == status }?.count ?? 0
                registry.makeGauge(
                    descriptor: Self.jobs, labels: [("kind", kind.rawValue), ("status", status.rawValue)]
                )
                .set(Double(count))
            }
        }
    }
}

import AudioTesting
import CallAudioServer
import CallRecordings
import Foundation
import Hummingbird
import HummingbirdTesting
import Metrics
import Prometheus
import Testing

/// `/metrics` after real requests and a real worker: requests by route and status, media bytes, job stage
/// durations and the queue's jobs by kind and status, in Prometheus' text format, on a listener of its own: the
/// public one does not serve it.
@Suite struct MetricsTests {
    /// The process's metrics backend, bootstrapped once (swift-metrics allows it once per process).
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    @Test func metricsCountRequestsBytesStagesAndJobs() async throws {
        let harness = try await ServiceHarness(metrics: Self.registry)
        try await harness.withWorker {
            try await harness.app.test(.router) { client in
                var form = Multipart()
                for (index, leg) in try harness.legs().enumerated() { try form.file("leg\(index + 1)", leg) }
                form.field("call_id", "metrics-1")
                let accepted = try await client.execute(
                    uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
                let id = try accepted.json(Accepted.self).id
                try await eventually(timeout: .seconds(60), "the call processed") {
                    try await client.execute(
                        uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized
                    ).json(RecordingResource.self).status == "ready"
                }
                let audio = try await client.execute(
                    uri: "/v1/recordings/\(id)/audio.mp3", method: .get, headers: ServiceHarness.authorized)
                #expect(audio.status == .ok)
                let missing = try await client.execute(
                    uri: "/v1/recordings/\(String(repeating: "0", count: 24))", method: .get,
                    headers: ServiceHarness.authorized)
                #expect(missing.status == .notFound)

                #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound)
                let metrics = Application(
                    router: RecordingServer.makeMetricsRouter(queue: harness.queue, registry: Self.registry))
                let scrape = try await metrics.test(.router) { scraper in
                    try await scraper.execute(uri: "/metrics", method: .get)
                }
                #expect(scrape.status == .ok)
                let text = String(buffer: scrape.body)
                let lines = text.split(separator: "\n").map(String.init)
                func value(_ prefix: String, _ labels: [String] = []) -> Double? {
                    lines.first { $0.hasPrefix(prefix) && labels.allSatisfy($0.contains) }
                        .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
                }
                #expect(value("hb_requests", ["/v1/recordings/{id}", "\"200\""]) ?? 0 >= 1, "\(text)")
                #expect(value("hb_requests", ["/v1/recordings/{id}", "\"404\""]) ?? 0 >= 1)
                #expect(value("hb_requests", ["/v1/calls", "\"202\""]) ?? 0 >= 1)
                #expect(value("callaudio_media_bytes_served_total") ?? 0 >= Double(audio.body.readableBytes))
                #expect(value("callaudio_job_stage_seconds_count", ["kind=\"call\"", "stage=\"process\""]) ?? 0 >= 1)
                #expect(value("callaudio_jobs{", ["kind=\"call\"", "status=\"succeeded\""]) == 1)
                #expect(value("callaudio_jobs{", ["kind=\"voicemail\"", "status=\"queued\""]) == 0)
            }
        }
    }
}

import CallAudioJobs
import CallWebhooks
import Foundation
import Hummingbird
import Logging
import Prometheus

/// The recording service's HTTP application: every route over one `RecordingService`.
public enum RecordingServer {
    /// What the routes need beyond the recordings themselves.
    public struct Settings: Sendable {
        public var keys: APIKeys
        /// The largest upload accepted, in bytes (default 2 GiB).
        public var maxUploadBytes: Int
        public var draining: DrainFlag
        /// Verifies ingest requests the platform signs with the webhook secret instead of sending an API key.
        public var requestSigner: WebhookSigner?
        /// Serves `/metrics` from this registry, which the process's `MetricsSystem` must report into; nil
        /// serves none.
        public var metrics: PrometheusCollectorRegistry?
        /// Where the ids of accepted signed requests are remembered: shared by every API node in production
        /// (`SharedReplayGuard` in the storage folder), this process's memory by default.
        public var replays: any ReplayGuard

        public init(
            keys: APIKeys, maxUploadBytes: Int = 2 << 30, draining: DrainFlag = DrainFlag(),
            requestSigner: WebhookSigner? = nil, metrics: PrometheusCollectorRegistry? = nil,
            replays: any ReplayGuard = InMemoryReplayGuard()
        ) {
            self.keys = keys
            self.maxUploadBytes = maxUploadBytes
            self.draining = draining
            self.requestSigner = requestSigner
            self.metrics = metrics
            self.replays = replays
        }
    }

    public static func makeRouter(service: RecordingService, settings: Settings) -> Router<BasicRequestContext> {
        let router = Router()
        let routeMethods = RouteMethods()
        router.add(middleware: RedactingLogMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware(routes: routeMethods))
        if let registry = settings.metrics {
            router.add(middleware: MetricsMiddleware())
            MetricsRoutes(queue: service.queue, registry: registry).add(to: router)
        }
        let access = Access(
            keys: settings.keys, signer: service.signer, requestSigner: settings.requestSigner,
            replays: settings.replays)
        HealthRoutes(service: service, draining: settings.draining).add(to: router)
        IngestRoutes(service: service, access: access, maxUploadBytes: settings.maxUploadBytes).add(to: router)
        RecordingRoutes(service: service, access: access, media: MediaResponder()).add(to: router)
        PlayerRoutes(service: service, access: access).add(to: router)
        OpenAPIRoutes().add(to: router)
        routeMethods.record(router.routes)
        return router
    }

    /// The application listening on `host:port`.
    public static func makeApplication(
        service: RecordingService, settings: Settings, host: String = "0.0.0.0", port: Int, logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(service: service, settings: settings),
            configuration: .init(address: .hostname(host, port: port), serverName: "callaudio"), logger: logger)
    }
}

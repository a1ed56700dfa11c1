import CallAudioJobs
import CallRecordings
import CallWebhooks
import Foundation
import Hummingbird
import HummingbirdCore
import Jobs
import Logging
import NIOCore
import Prometheus

/// The recording service's HTTP application: every route over one `RecordingService`.
public enum RecordingServer {
    /// What the routes need beyond the recordings themselves.
    public struct Settings: Sendable {
        public var keys: APIKeys
        /// The largest upload accepted, in bytes (default 2 GiB).
        public var maxUploadBytes: Int
        public var draining: DrainFlag
        /// Verifies ingest requests the platform signs with the webhook secret instead of sending an API key; nil
        /// takes API keys only.
        public var requestSigner: WebhookSigner?
        /// The largest signed upload accepted, in bytes: it is held in memory until its signature is checked, so
        /// that nothing unauthenticated is ever written to disk (default 16 MiB).
        public var maxSignedUploadBytes: Int
        /// Counts requests into the process's `MetricsSystem` (served by `makeMetricsApplication`, on a listener
        /// of its own); nil counts none.
        public var metrics: PrometheusCollectorRegistry?
        /// Where the ids of accepted signed requests are remembered; nil: in the database, shared by every API
        /// node on it (`CatalogReplayGuard`).
        public var replays: (any ReplayGuard)?
        /// Idle, head and body deadlines and the cap on connections.
        public var connections: ConnectionLimits
        /// Renders the player's speed copies on request.
        var speedCopies = SpeedCopies()

        public init(
            keys: APIKeys, maxUploadBytes: Int = 2 << 30, draining: DrainFlag = DrainFlag(),
            requestSigner: WebhookSigner? = nil, maxSignedUploadBytes: Int = 16 << 20,
            metrics: PrometheusCollectorRegistry? = nil,
            replays: (any ReplayGuard)? = nil, connections: ConnectionLimits = ConnectionLimits()
        ) {
            self.keys = keys
            self.maxUploadBytes = maxUploadBytes
            self.draining = draining
            self.requestSigner = requestSigner
            self.maxSignedUploadBytes = maxSignedUploadBytes
            self.metrics = metrics
            self.replays = replays
            self.connections = connections
        }
    }

    public static func makeRouter(service: RecordingService, settings: Settings) -> Router<BasicRequestContext> {
        let router = Router()
        let routeMethods = RouteMethods()
        // The log sits inside NoSniff, which turns errors into answers: it sees each refusal as thrown, with why.
        router.add(middleware: NoSniffMiddleware())
        router.add(middleware: RedactingLogMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware(routes: routeMethods))
        if settings.metrics != nil { router.add(middleware: MetricsMiddleware()) }
        let access = Access(
            keys: settings.keys, signer: service.signer, requestSigner: settings.requestSigner,
            replays: settings.replays ?? CatalogReplayGuard(catalog: service.catalog))
        HealthRoutes(service: service, draining: settings.draining).add(to: router)
        IngestRoutes(
            service: service, access: access, maxUploadBytes: settings.maxUploadBytes,
            maxSignedUploadBytes: settings.maxSignedUploadBytes
        ).add(to: router)
        let media = MediaResponder()
        RecordingRoutes(service: service, access: access, media: media, speedCopies: settings.speedCopies)
            .add(to: router)
        PlayerRoutes(service: service, access: access).add(to: router)
        let prompts = PromptRoutes(
            prompts: service.prompts, access: access, media: media, maxUploadBytes: settings.maxUploadBytes)
        prompts.add(to: router)
        PromptRecorderRoutes(prompts: prompts, access: access).add(to: router)
        AccessTokenRoutes(access: access, signer: service.signer.accessTokens).add(to: router)
        OpenAPIRoutes().add(to: router)
        routeMethods.record(router.routes)
        return router
    }

    /// The application listening on `host:port`, with `settings.connections` enforced on every connection;
    /// `onServerRunning` is told the listening channel (its port, when `port` is 0).
    public static func makeApplication(
        service: RecordingService, settings: Settings, host: String = "0.0.0.0", port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let limits = settings.connections
        return Application(
            router: makeRouter(service: service, settings: settings),
            server: .http1(
                configuration: .init(additionalChannelHandlers: [SlowClientGuard(limits: limits, logger: logger)])),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "callaudio",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
            onServerRunning: onServerRunning, logger: logger)
    }

    /// `GET /metrics` alone, for a listener of its own (loopback by default): job counts and request rates are
    /// for the operator's scraper, not for anyone who reaches the public port.
    public static func makeMetricsRouter(queue: any JobQueue, registry: PrometheusCollectorRegistry)
        -> Router<BasicRequestContext>
    {
        let router = Router()
        MetricsRoutes(queue: queue, registry: registry).add(to: router)
        return router
    }

    /// The metrics listener on `host:port`.
    public static func makeMetricsApplication(
        queue: any JobQueue, registry: PrometheusCollectorRegistry, host: String, port: Int, logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: makeMetricsRouter(queue: queue, registry: registry),
            configuration: .init(address: .hostname(host, port: port), serverName: "callaudio-metrics"),
            logger: logger)
    }
}

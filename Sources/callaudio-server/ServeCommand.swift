import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import CallAudioServer
import CallRecordings
import CallWebhooks
import Foundation
import Jobs
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `callaudio-server serve`: the recording service (HTTP API and, by default, the workers) in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the recording service: the HTTP API, and the workers in the same process.",
        discussion: """
            The platform POSTs finished calls (POST /v1/calls) and voicemails (POST /v1/voicemails) as \
            multipart uploads with Authorization: Bearer KEY, polls GET /v1/recordings/{id}, and hands its users \
            the signed, expiring audio_url and player_url. Each recording is one folder under --storage (or one \
            prefix of objects in a bucket, --storage s3://BUCKET/PREFIX); \
            DELETE /v1/recordings/{id} (or `callaudio-server delete`) removes it and everything made from it.

            API keys come from --api-key-file (one per line) and the environment variable CALLAUDIO_API_KEYS \
            (comma-separated); the service refuses to start without one. With an API key, the platform mints scoped \
            access tokens for its users (POST /v1/access-tokens: contact and conversation ids, read/delete/transcribe, \
            at most a day); a token sees only its scope, and every API node on the same queue database (which keeps \
            the signing key) accepts it. With --workers 0 the process only \
            serves the API, and `callaudio-server worker` processes on other machines run the jobs (a PostgreSQL \
            queue, and a bucket or a shared folder). SIGTERM or SIGINT drains: /readyz answers 503, running jobs finish.

            With --webhook-url the service POSTs events to the platform through the job queue (retried with \
            backoff for about a day; a 410 answer stops them), signed with CALLAUDIO_WEBHOOK_SECRET: \
            webhook-id, webhook-timestamp and webhook-signature (v1, base64 HMAC-SHA256 of id.timestamp.body). \
            With the secret set, the platform may also sign POST /v1/calls and /v1/voicemails that way instead of \
            sending an API key when --signed-ingest is given: read into memory (at most --max-signed-upload-mb), \
            verified, and only then stored; accepted within 5 minutes of their timestamp, once per webhook-id.

            Slow clients are cut off (--idle-timeout, --head-timeout, --body-timeout with --min-body-rate), at most \
            --max-connections are served at once, and the service raises its descriptor limit to the hard limit \
            at start. GET /metrics is served on its own listener, loopback by default (--metrics-host, \
            --metrics-port). Files and folders the service creates are readable by its user only.

            With --ingest DIR, a text part names a file in that folder instead of uploading it (leg1=c-1001/caller.wav); \
            it is copied into the recording. With --smtp URL, POST /v1/voicemails also takes the fields of \
            `callaudio voicemail` (to, from, caller_number, caller_name, mailbox, received, time_zone, bitrate) \
            and emails the message; the password comes from CALLAUDIO_SMTP_PASSWORD.

            Example (one machine, everything in one process):
              CALLAUDIO_API_KEYS=secret callaudio-server serve --queue sqlite:/var/lib/callaudio/jobs.db \\
                --storage /var/lib/callaudio/storage --port 8080
            """)

    @OptionGroup var queue: QueueOptions

    @OptionGroup(title: "Webhooks") var webhooks: WebhookOptions

    @OptionGroup var housekeeping: HousekeepingOptions

    @Option(help: ArgumentHelp(StorageOptions.storageHelp))
    var storage: String

    @Option(help: "The TCP port to listen on. Example: --port 8080")
    var port: Int = 8080

    @Option(help: "The address to listen on. Example: --host 127.0.0.1")
    var host: String = "0.0.0.0"

    @Option(help: "Jobs run in this process at once (default: one per core; 0 runs none). Example: --workers 2")
    var workers: Int?

    @Option(help: "A file of API keys, one per line (# comments allowed). Example: --api-key-file /etc/callaudio/keys")
    var apiKeyFile: String?

    @Option(help: "The largest upload accepted, in MiB; larger ones get 413. Example: --max-upload-mb 512")
    var maxUploadMB: Int = 2048

    @Option(
        help: ArgumentHelp(
            "A folder whose files POST /v1/calls and /v1/voicemails may name instead of uploading them (a text part "
                + "leg1=c-1001/caller.wav), copied into the recording. Example: --ingest /srv/recorder/spool",
            valueName: "DIR"))
    var ingest: String?

    @OptionGroup(title: "Limits") var limits: ServiceLimitOptions

    @OptionGroup(title: "Storage") var storageOptions: StorageOptions

    @Option(help: "The address of the /metrics listener. Example: --metrics-host 127.0.0.1")
    var metricsHost: String = "127.0.0.1"

    @Option(
        help:
            "The port of the /metrics listener (Prometheus' text format); 0 serves no metrics. Example: --metrics-port 9464"
    )
    var metricsPort: Int = 9464

    @Option(
        name: .customLong("link-ttl"),
        help: ArgumentHelp(
            "How long the signed audio_url, player_url, waveform_url and transcript links live, in seconds, when a "
                + "request does not say (GET /v1/recordings/{id}?link_ttl=SECONDS): 60 to 604800 (7 days). A scoped "
                + "access token's links never outlive the token. Example: --link-ttl 3600",
            valueName: "SECONDS"))
    var linkTTL: Int = 6 * 3600

    @OptionGroup(title: "Emailed voicemails (POST /v1/voicemails with to, from, caller_number, ...)")
    var mail: SMTPOptions

    func validate() throws {
        if let workers, workers < 0 { throw ValidationError("--workers must not be negative.") }
        if !(1...65_535).contains(port) { throw ValidationError("--port must be from 1 to 65535.") }
        if !(0...65_535).contains(metricsPort) { throw ValidationError("--metrics-port must be from 0 to 65535.") }
        if limits.signedIngest, try WebhookOptions.signer() == nil {
            throw ValidationError("--signed-ingest needs the signing secret in CALLAUDIO_WEBHOOK_SECRET.")
        }
        if maxUploadMB < 1 { throw ValidationError("--max-upload-mb must be at least 1.") }
        if !MediaSigner.lifetimes.contains(linkTTL) {
            throw ValidationError(
                "--link-ttl must be from \(MediaSigner.lifetimes.lowerBound) to \(MediaSigner.lifetimes.upperBound) seconds (7 days)."
            )
        }
        _ = try mail.destination()
        _ = try ingestFolder()
    }

    private func ingestFolder() throws -> IngestFolder? {
        do {
            return try ingest.map { try IngestFolder(path: $0) }
        } catch {
            throw ValidationError("--ingest: \(ingest ?? "") is not a folder.")
        }
    }

    func run() async throws {
        makeCreatedFilesPrivate()
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "callaudio.serve")
        let keys = try loadKeys()
        let storage = try storageOptions.open(self.storage)
        try limits.raiseDescriptorLimit(logger: logger)
        try await withCatalog(queue) { catalog in
            let jobs = catalog.queue
            let service = RecordingService(
                storage: storage, catalog: catalog,
                signer: try await catalog.mediaSigner(storage: storage, lifetime: TimeInterval(linkTTL)),
                events: try webhooks.events(storage: storage), publicURL: webhooks.publicURL,
                ingestFolder: try ingestFolder(), mail: try mail.destination(), limits: limits.ingest)
            let imported = try await service.importFolders()
            if imported > 0 {
                logger.info("catalogued recordings made before the catalog", metadata: ["count": "\(imported)"])
            }
            let draining = DrainFlag()
            let registry = metricsPort == 0 ? nil : Self.bootstrapMetrics()
            let app = RecordingServer.makeApplication(
                service: service,
                settings: .init(
                    keys: keys, maxUploadBytes: maxUploadMB << 20, draining: draining,
                    requestSigner: limits.signedIngest ? try WebhookOptions.signer() : nil,
                    maxSignedUploadBytes: limits.maxSignedUploadMB << 20, metrics: registry,
                    connections: limits.connections),
                host: host, port: port, logger: logger)
            var services: [any Service] = [DrainWatcher(flag: draining), app]
            if let registry {
                services.append(
                    RecordingServer.makeMetricsApplication(
                        queue: jobs, registry: registry, host: metricsHost, port: metricsPort, logger: logger))
            }
            services += housekeeping.services(for: jobs, observer: service.events, logger: logger)
            let workerCount = workers ?? ProcessInfo.processInfo.activeProcessorCount
            if workerCount > 0 {
                services.append(
                    WorkerPool(
                        queue: jobs, runner: try storageOptions.runner(WebhookOptions.isolatedRunner(), over: storage),
                        observer: service.events,
                        configuration: .init(workers: workerCount), logger: logger))
            }
            let group = ServiceGroup(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
                logger: logger)
            try await group.run()
        }
    }

    /// The registry `/metrics` serves, made the process's metrics backend.
    private static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    private func loadKeys() throws -> APIKeys {
        var fileContents: String?
        if let apiKeyFile {
            guard let text = try? String(contentsOfFile: apiKeyFile, encoding: .utf8) else {
                throw exitWith(66, "\(apiKeyFile): cannot read the API key file")
            }
            fileContents = text
        }
        let keys = APIKeys(
            fileContents: fileContents, environment: ProcessInfo.processInfo.environment["CALLAUDIO_API_KEYS"])
        if keys.isEmpty {
            throw ValidationError("no API key: give --api-key-file FILE or set CALLAUDIO_API_KEYS.")
        }
        return keys
    }
}

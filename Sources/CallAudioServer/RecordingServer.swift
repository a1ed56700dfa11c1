import CallAudioJobs
import Foundation
import Hummingbird
import Logging

/// The recording service's HTTP application: every route over one `RecordingService`.
public enum RecordingServer {
    /// What the routes need beyond the recordings themselves.
    public struct Settings: Sendable {
        public var keys: APIKeys
        /// The largest upload accepted, in bytes (default 2 GiB).
        public var maxUploadBytes: Int
        public var draining: DrainFlag
        /// Starts a transcription job (the `transcribe` job kind); nil answers `501` to transcript requests.
        public var requestTranscript: TranscriptRequester?

        public init(
            keys: APIKeys, maxUploadBytes: Int = 2 << 30, draining: DrainFlag = DrainFlag(),
            requestTranscript: TranscriptRequester? = nil
        ) {
            self.keys = keys
            self.maxUploadBytes = maxUploadBytes
            self.draining = draining
            self.requestTranscript = requestTranscript
        }
    }

    public static func makeRouter(service: RecordingService, settings: Settings) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RedactingLogMiddleware())
        let access = Access(keys: settings.keys, signer: service.signer)
        HealthRoutes(service: service, draining: settings.draining).add(to: router)
        IngestRoutes(service: service, access: access, maxUploadBytes: settings.maxUploadBytes).add(to: router)
        RecordingRoutes(service: service, access: access, media: MediaResponder()).add(to: router)
        PlayerRoutes(service: service, access: access, requestTranscript: settings.requestTranscript).add(to: router)
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

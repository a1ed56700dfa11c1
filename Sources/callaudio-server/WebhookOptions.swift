import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import CallRecordings
import CallWebhooks
import Foundation
import Jobs

/// Where the service's webhook events go, shared by `serve`, `worker` and `delete`. The secret that signs them
/// comes only from the environment (`CALLAUDIO_WEBHOOK_SECRET`), never from a flag, so it stays out of `ps`.
struct WebhookOptions: ParsableArguments {
    @Option(
        help: """
            POST signed events (recording.ready, recording.failed, transcript.ready, voicemail.received, \
            recording.deleted) to this URL, signed with CALLAUDIO_WEBHOOK_SECRET the Standard Webhooks way. \
            Example: --webhook-url https://pbx.example.com/hooks/callaudio
            """)
    var webhookURL: String?

    @Option(
        help: """
            The service's address as the platform and browsers reach it, put before the URLs in events and in \
            GET /v1/recordings/{id} (audio_url, player_url, ...). \
            Example: --public-url https://calls.example.com
            """)
    var publicURL: String?

    func validate() throws {
        if let publicURL,
            URL(string: publicURL).map({ ["http", "https"].contains($0.scheme) && $0.host != nil }) != true
        {
            throw ValidationError("--public-url: \(publicURL) is not an http(s) URL.")
        }
        guard webhookURL != nil else { return }
        guard try Self.signer() != nil else {
            throw ValidationError("--webhook-url needs the signing secret in CALLAUDIO_WEBHOOK_SECRET.")
        }
    }

    /// The events to queue for recordings under `storage`, or nil without --webhook-url.
    func events(storage: any RecordingStorage) throws -> RecordingEvents? {
        guard let webhookURL else { return nil }
        do {
            return try RecordingEvents(target: webhookURL, storage: storage, publicURL: publicURL)
        } catch let error as WebhookError {
            throw ValidationError("--webhook-url \(error.message)")
        }
    }

    /// The runner of this process's workers: it sends `webhook` jobs when CALLAUDIO_WEBHOOK_SECRET is set.
    static func runner() throws -> AudioJobRunner {
        AudioJobRunner(webhooks: try signer().map { WebhookSender(signer: $0) })
    }

    /// The runner of a worker pool: each attempt of audio work in its own process, which makes its `runner()`
    /// from the same environment; webhook deliveries in this one. The secret is checked here, so that a bad one
    /// stops the worker at start, not every job.
    static func isolatedRunner() throws -> IsolatedJobRunner {
        IsolatedJobRunner.thisExecutable(
            command: "worker-attempt", local: try runner(),
            inProcessKinds: [JobKind.webhook.rawValue])
    }

    /// The signer of CALLAUDIO_WEBHOOK_SECRET, or nil when it is unset.
    static func signer() throws -> WebhookSigner? {
        do {
            return try WebhookSigner.fromEnvironment()
        } catch let error as WebhookError {
            throw ValidationError("CALLAUDIO_WEBHOOK_SECRET: \(error.message)")
        }
    }
}

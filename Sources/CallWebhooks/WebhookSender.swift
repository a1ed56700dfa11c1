import CallHTTP
import Foundation
import HTTPExchange

/// POSTs signed webhook messages, one attempt per call: the job queue retries with backoff.
///
/// A 2xx answer delivers the message; `410 Gone` stops it for good (`WebhookError.gone`, permanent); anything
/// else, or no answer within `timeout`, is `WebhookError.undelivered`, worth another attempt. Blocking: called on
/// a worker thread.
public final class WebhookSender: Sendable {
    private let signer: WebhookSigner
    private let timeout: TimeInterval
    private let transport: any HTTPTransport

    public init(signer: WebhookSigner, timeout: TimeInterval = 15, transport: any HTTPTransport = NIOHTTPTransport()) {
        self.signer = signer
        self.timeout = timeout
        self.transport = transport
    }

    /// `text` as a URL webhooks can be sent to: http or https, with a host.
    /// - Throws: `WebhookError.misconfigured` naming `text` otherwise.
    public static func endpoint(_ text: String) throws(WebhookError) -> URL {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme), url.host != nil else {
            throw WebhookError(.misconfigured, "\(text): not an http(s) URL for webhooks")
        }
        return url
    }

    /// Sends `delivery` once, signed at `now`.
    public func send(_ delivery: WebhookDelivery, now: Date = Date()) throws {
        let url = try Self.endpoint(delivery.url)
        let body = Data(delivery.body.utf8)
        let headers =
            [(name: "Content-Type", value: "application/json"), (name: "User-Agent", value: "callaudio")]
            + signer.headers(id: delivery.messageID, body: body, now: now)
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: body, timeout: timeout)
        let target = "\(url.scheme ?? "http")://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")\(url.path)"
        switch Result(catching: { try transport.send(request).status }) {
        case .success(let status) where (200..<300).contains(status):
            return
        case .success(410):
            throw WebhookError(.gone, "\(target) answered 410 Gone: \(delivery.type) not delivered, not retried")
        case .success(let status):
            throw WebhookError(.undelivered, "\(target) answered HTTP \(status) to \(delivery.type)")
        case .failure(let error):
            throw WebhookError(.undelivered, "\(target): \(error)")
        }
    }
}

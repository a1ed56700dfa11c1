import Dispatch
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs signed webhook messages, one attempt per call: the job queue retries with backoff.
///
/// A 2xx answer delivers the message; `410 Gone` stops it for good (`WebhookError.gone`, permanent); anything
/// else, or no answer within `timeout`, is `WebhookError.undelivered`, worth another attempt. Blocking: called on
/// a worker thread.
public final class WebhookSender: Sendable {
    private let signer: WebhookSigner
    private let session: URLSession

    public init(signer: WebhookSigner, timeout: TimeInterval = 15) {
        self.signer = signer
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

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
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("callaudio", forHTTPHeaderField: "User-Agent")
        for header in signer.headers(id: delivery.messageID, body: body, now: now) {
            request.setValue(header.value, forHTTPHeaderField: header.name)
        }
        let target = "\(url.scheme ?? "http")://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")\(url.path)"
        switch post(request, body: body) {
        case .success(let status) where (200..<300).contains(status):
            return
        case .success(410):
            throw WebhookError(.gone, "\(target) answered 410 Gone: \(delivery.type) not delivered, not retried")
        case .success(let status):
            throw WebhookError(.undelivered, "\(target) answered HTTP \(status) to \(delivery.type)")
        case .failure(let error):
            throw WebhookError(.undelivered, "\(target): \(error.localizedDescription)")
        }
    }

    /// One request and the status of its reply, or why there was none.
    private func post(_ request: URLRequest, body: Data) -> Result<Int, any Error> {
        let reply = Reply()
        let done = DispatchSemaphore(value: 0)
        session.uploadTask(with: request, from: body) { _, response, error in
            reply.result =
                (response as? HTTPURLResponse).map { .success($0.statusCode) }
                ?? .failure(error ?? URLError(.badServerResponse))
            done.signal()
        }.resume()
        done.wait()
        return reply.result ?? .failure(URLError(.unknown))
    }
}

/// The reply of one request, handed from URLSession's delegate thread to the waiting caller.
private final class Reply: @unchecked Sendable {
    // Written once before the semaphore is signalled and read after it is waited on.
    var result: Result<Int, any Error>?
}

import CallRecordings
import Foundation

/// How long a client may take over each part of a request, and how many clients may be connected at once: what
/// keeps idle, half-sent and trickling connections from holding the service's descriptors forever.
///
/// The body's allowance grows with what arrives, as Apache's `mod_reqtimeout` does (`body=20,MinRate=1024`): a
/// large upload at a steady rate is never cut, one byte every 20 seconds is.
public struct ConnectionLimits: Sendable, Equatable {
    /// A connection with no request under way is closed after this long (keep-alive included).
    public var idleTimeout: TimeInterval
    /// From the first byte of a request to the end of its head (request line and headers).
    public var headTimeout: TimeInterval
    /// The time a request body may take before `minBodyRate` counts: the deadline is the body's start + this +
    /// one second for every `minBodyRate` bytes received.
    public var bodyTimeout: TimeInterval
    /// The slowest average body rate tolerated past `bodyTimeout`, in bytes per second.
    public var minBodyRate: Int
    /// Connections served at once; past it, new ones wait in the listen backlog until one closes.
    public var maxConnections: Int

    public init(
        idleTimeout: TimeInterval = 60, headTimeout: TimeInterval = 20, bodyTimeout: TimeInterval = 20,
        minBodyRate: Int = 1024, maxConnections: Int = 512
    ) {
        self.idleTimeout = idleTimeout
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
        self.minBodyRate = minBodyRate
        self.maxConnections = maxConnections
    }
}

/// Where one connection stands in reading its requests, and by when the client must have sent the next part:
/// the deadlines of `ConnectionLimits` as a state machine with no I/O (times in seconds on any monotonic clock).
///
/// The clock runs only while the service is asking the client for bytes. When the service stops reading (its
/// route has not taken the last part yet: back-pressure), the client owes nothing, and the deadlines move on by
/// the time the service took: a busy service never blames its own slowness on a client.
struct ReadDeadline: Equatable {
    /// Why a connection was cut off.
    enum Overdue: String, Equatable {
        case idle = "no request"
        case head = "request head not complete"
        case body = "request body too slow"
    }

    private enum Phase: Equatable {
        /// Waiting for the first byte of the next request.
        case idle(since: Double)
        /// The first bytes of a request arrived; its head is not complete.
        case head(since: Double)
        /// The head is in; the body is arriving.
        case body(since: Double, received: Int)
        /// The whole request is in: the service's turn, with no deadline for the client.
        case responding
    }

    let limits: ConnectionLimits
    private var phase: Phase
    /// Since when the service has not been asking for bytes; nil while it is.
    private var pausedAt: Double?

    init(limits: ConnectionLimits, openedAt now: Double) {
        self.limits = limits
        phase = .idle(since: now)
    }

    /// Bytes of the connection arrived (before any HTTP parsing).
    mutating func bytesArrived(at now: Double) {
        if case .idle = phase { phase = .head(since: now) }
    }

    /// A request's head was parsed: its body (if any) comes next.
    mutating func headReceived(at now: Double) {
        phase = .body(since: now, received: 0)
    }

    /// `count` bytes of the request body were parsed.
    mutating func bodyReceived(_ count: Int) {
        if case .body(let since, let received) = phase { phase = .body(since: since, received: received + count) }
    }

    /// The whole request is in.
    mutating func requestEnded() {
        phase = .responding
    }

    /// The response was written: the client may send the next request.
    mutating func responseEnded(at now: Double) {
        phase = .idle(since: now)
    }

    /// Parts arrived and the service has not asked for more yet: the client's clock stops.
    mutating func serviceStoppedReading(at now: Double) {
        if pausedAt == nil { pausedAt = now }
    }

    /// The service asks for more bytes: the client's clock runs again, its deadline later by the pause.
    mutating func serviceReading(at now: Double) {
        guard let pausedAt else { return }
        self.pausedAt = nil
        let pause = now - pausedAt
        switch phase {
        case .idle(let since): phase = .idle(since: since + pause)
        case .head(let since): phase = .head(since: since + pause)
        case .body(let since, let received): phase = .body(since: since + pause, received: received)
        case .responding: break
        }
    }

    /// When the client must have sent more; nil while the service answers or is not reading.
    var deadline: Double? {
        if pausedAt != nil { return nil }
        switch phase {
        case .idle(let since): return since + limits.idleTimeout
        case .head(let since): return since + limits.headTimeout
        case .body(let since, let received):
            return since + limits.bodyTimeout + Double(received) / Double(max(limits.minBodyRate, 1))
        case .responding: return nil
        }
    }

    /// What the client failed to send in time, when `now` is past the deadline; nil otherwise.
    func overdue(at now: Double) -> Overdue? {
        guard let deadline, now >= deadline else { return nil }
        switch phase {
        case .idle: return .idle
        case .head: return .head
        case .body: return .body
        case .responding: return nil
        }
    }
}

import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client does not send its request in time (`ConnectionLimits`): idle, stuck in its
/// head, or trickling its body. Sits after the HTTP codec, where it sees heads, bodies and responses, and the
/// route's demand for more (`read`), which stops and starts the client's clock; in `handlerAdded` it puts an
/// `ArrivalWatcher` at the front of the pipeline, where the first raw byte of a request starts the head's clock
/// before any of it can be parsed.
final class SlowClientGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadline: ReadDeadline
    private let logger: Logger
    private var timer: Scheduled<Void>?
    private var timerFiresAt: Double?

    init(limits: ConnectionLimits, logger: Logger) {
        let now = Self.now
        deadline = ReadDeadline(limits: limits, openedAt: now)
        // Until the service first asks for bytes (its connection task may start late on a busy machine), the
        // client owes none: a request sent at once is never cut off as idle before the service looked for it.
        deadline.serviceStoppedReading(at: now)
        self.logger = logger
    }

    private static var now: Double { Double(NIODeadline.now().uptimeNanoseconds) / 1e9 }

    func handlerAdded(context: ChannelHandlerContext) {
        try? context.pipeline.syncOperations.addHandler(
            ArrivalWatcher(onArrival: { [self] in
                deadline.bytesArrived(at: Self.now)
                schedule(context)
            }), position: .first)
        schedule(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadline.headReceived(at: Self.now)
        case .body(let buffer): deadline.bodyReceived(buffer.readableBytes)
        case .end: deadline.requestEnded()
        }
        deadline.serviceStoppedReading(at: Self.now)
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        deadline.serviceReading(at: Self.now)
        schedule(context)
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            deadline.responseEnded(at: Self.now)
            schedule(context)
        }
        context.write(data, promise: promise)
    }

    /// Makes sure a check runs no later than the current deadline (deadlines mostly move later; a check that
    /// finds time left schedules the next one).
    private func schedule(_ context: ChannelHandlerContext) {
        guard let due = deadline.deadline else { return }
        if let timerFiresAt, timerFiresAt <= due { return }
        timer?.cancel()
        timerFiresAt = due
        let delay = TimeAmount.nanoseconds(Int64(max(0, due - Self.now) * 1e9))
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: delay) { [self] in
            timer = nil
            timerFiresAt = nil
            if let overdue = deadline.overdue(at: Self.now) {
                logger.info(
                    "closed a slow connection: \(overdue.rawValue) in time",
                    metadata: ["peer": "\(context.channel.remoteAddress?.description ?? "?")"])
                context.close(promise: nil)
            } else {
                schedule(context)
            }
        }
    }
}

/// Tells its owner that bytes arrived on the connection, before the HTTP decoder sees them.
private final class ArrivalWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let onArrival: () -> Void

    init(onArrival: @escaping () -> Void) { self.onArrival = onArrival }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onArrival()
        context.fireChannelRead(data)
    }
}

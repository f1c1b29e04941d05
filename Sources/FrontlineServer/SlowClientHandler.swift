import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes connections that keep the server waiting: a request whose head (and body) has not
/// arrived within ``ConnectionLimits/headerTimeout`` of the connection's opening or of its first
/// byte, and a keep-alive connection with no new request ``ConnectionLimits/idleTimeout`` after its
/// last answer was sent, and one that leaves an answer unread (its socket buffer full) for
/// ``ConnectionLimits/sendTimeout``. nginx's `client_header_timeout`, `keepalive_timeout` and
/// `send_timeout` do the same.
///
/// One per connection, first of the handlers after the HTTP decoder, so that it sees every request
/// and every answer, those ``CachedTileHandler`` gives on the event loop included. A connection
/// with a request at the router, or an answer not yet handed to the socket, is never closed.
/// It also counts the connection in ``ConnectionLimits``: one too many closes the connection that
/// has waited longest on its client, or, when every connection is busy, this one with a `503`.
final class SlowClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase: Equatable {
        /// A request is with the router, or an answer is being written: no timeout.
        case busy
        /// Part of a request has arrived (or the connection is new): the header timeout runs.
        case readingRequest
        /// Every answer sent, nothing new: the idle timeout runs.
        case idle
        /// Counted out of ``ConnectionLimits``.
        case closed
    }

    private let limits: ConnectionLimits
    private var phase = Phase.busy
    private var timeout: Scheduled<Void>?
    /// Runs while the client is not reading what it was sent.
    private var stalled: Scheduled<Void>?
    /// True from the first byte (or the opening) of a request to its end.
    private var readingRequest = true
    /// Requests whose answer has not been written to its end.
    private var unanswered = 0
    /// Answers written to their end but not yet handed to the socket.
    private var unsent = 0
    /// True when the current socket read produced a request part.
    private var readProducedParts = false
    private var counted = false
    /// True once this connection was found one too many: what it sends is dropped.
    private var refused = false

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        forget(context)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        forget(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        readProducedParts = true
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            readingRequest = true
        case .body:
            break
        case .end:
            readingRequest = false
        }
        update(context)
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes that made no request part are the start of a request still being sent.
        if !readProducedParts, unanswered == 0 { readingRequest = true }
        readProducedParts = false
        update(context)
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        // (An answer to no request, such as the 400 for an unreadable one, counts for none.)
        unanswered = max(0, unanswered - 1)
        unsent += 1
        let written = promise ?? context.eventLoop.makePromise()
        written.futureResult.assumeIsolated().whenComplete { _ in
            self.unsent -= 1
            self.update(context)
        }
        context.write(data, promise: written)
        update(context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        stalled?.cancel()
        stalled = nil
        if !context.channel.isWritable, phase != .closed {
            // The client is not reading: it waits on us no more than the send timeout, and another
            // connection may have its descriptor meanwhile.
            limits.setWaiting(context.channel, true)
            stalled = context.eventLoop.assumeIsolated().scheduleTask(in: limits.sendTimeout) {
                self.limits.timedOut()
                context.close(promise: nil)
            }
        } else if phase == .busy {
            limits.setWaiting(context.channel, false)
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ConnectionLimits.Evict else { return context.fireUserInboundEventTriggered(event) }
        // Still waiting on the client? Then another connection needs its file descriptor more.
        if phase == .readingRequest || phase == .idle || stalled != nil { context.close(promise: nil) }
    }

    private func opened(_ context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = true
        guard limits.opened(context.channel) else { return refuse(context) }
        update(context)
    }

    /// Every connection is busy: says so and closes, rather than leave the client in the backlog.
    private func refuse(_ context: ChannelHandlerContext) {
        refused = true
        let fields: HTTPFields = [.connection: "close", .contentLength: "0", .retryAfter: "1",
                                  .server: FrontlineServer.serverName]
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .serviceUnavailable, headerFields: fields))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// Moves to the phase the counts call for; a timeout runs from the moment its phase begins.
    private func update(_ context: ChannelHandlerContext) {
        guard phase != .closed else { return }
        let next: Phase = unanswered > 0 || unsent > 0 ? .busy : readingRequest ? .readingRequest : .idle
        guard next != phase else { return }
        phase = next
        timeout?.cancel()
        timeout = nil
        limits.setWaiting(context.channel, next != .busy)
        let wait: TimeAmount
        switch next {
        case .readingRequest: wait = limits.headerTimeout
        case .idle: wait = limits.idleTimeout
        case .busy, .closed: return
        }
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: wait) {
            self.limits.timedOut()
            context.close(promise: nil)
        }
    }

    private func forget(_ context: ChannelHandlerContext) {
        timeout?.cancel()
        timeout = nil
        stalled?.cancel()
        stalled = nil
        guard counted, phase != .closed else { return }
        phase = .closed
        limits.closed(context.channel)
    }
}

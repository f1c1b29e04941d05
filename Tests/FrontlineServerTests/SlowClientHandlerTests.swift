import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing
@testable import FrontlineServer

/// The timeouts and the connection limit on an embedded channel, whose clock the test moves.
@Suite struct SlowClientHandlerTests {
    static let get = HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: "localhost", path: "/health"))
    static let answer = HTTPResponsePart.head(HTTPResponse(status: .ok))

    func limits(maximumConnections: Int = 100) -> ConnectionLimits {
        ConnectionLimits(headerTimeout: .seconds(60), idleTimeout: .seconds(75), maximumConnections: maximumConnections)
    }

    func connection(_ limits: ConnectionLimits, loop: EmbeddedEventLoop = EmbeddedEventLoop()) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: SlowClientHandler(limits: limits), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        return channel
    }

    /// One socket read carrying these request parts.
    func read(_ channel: EmbeddedChannel, _ parts: HTTPRequestPart...) throws {
        for part in parts { try channel.writeInbound(part) }
        channel.pipeline.fireChannelReadComplete()
    }

    @Test func aConnectionThatNeverFinishesItsHeadIsClosedAfterTheHeaderTimeout() throws {
        let channel = try connection(limits())
        channel.pipeline.fireChannelReadComplete()  // half a request line: bytes, no part yet
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test func aRequestWithTheRouterIsNeverTimedOutAndTheIdleTimeoutFollowsItsAnswer() throws {
        let limits = limits()
        let channel = try connection(limits)
        try read(channel, Self.get, .end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(channel.isActive, "a slow render is not a slow client")
        try channel.writeOutbound(Self.answer)
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(74))
        #expect(channel.isActive)
        // A new request's first bytes start the header timeout, from then.
        channel.pipeline.fireChannelReadComplete()
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
        #expect(limits.openConnections == 0)
    }

    @Test func aClientThatNeverReadsItsAnswerIsClosedAfterTheSendTimeoutAndCanBeEvicted() throws {
        let limits = ConnectionLimits(headerTimeout: .seconds(60), idleTimeout: .seconds(75), sendTimeout: .seconds(30),
                                      maximumConnections: 1)
        let loop = EmbeddedEventLoop()
        let channel = try connection(limits, loop: loop)
        try read(channel, Self.get, .end(nil))
        // The answer fills the socket's buffer: the client is not reading.
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        loop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        // Reading again clears it; stalling again starts it anew.
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        loop.advanceTime(by: .seconds(29))
        #expect(channel.isActive, "a slow render is not a slow client")
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        // A newcomer beyond the limit pushes the stalled one out.
        let newcomer = try connection(limits, loop: loop)
        loop.run()
        #expect(!channel.isActive)
        #expect(newcomer.isActive)
        // And a stalled one alone is closed at its send timeout.
        try read(newcomer, Self.get, .end(nil))
        newcomer.isWritable = false
        newcomer.pipeline.fireChannelWritabilityChanged()
        loop.advanceTime(by: .seconds(31))
        #expect(!newcomer.isActive)
    }

    @Test func anAnswerNotYetSentKeepsTheConnectionOpen() throws {
        let channel = try connection(limits())
        // As CachedTileHandler does: the answer is written while the request is read.
        try channel.writeInbound(Self.get)
        channel.write(Self.answer, promise: nil)
        channel.write(HTTPResponsePart.end(nil), promise: nil)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(channel.isActive, "the client has not been sent its answer yet")
        channel.flush()
        channel.embeddedEventLoop.advanceTime(by: .seconds(74))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test func oneConnectionTooManyPushesOutTheOneThatWaitedLongest() throws {
        let limits = limits(maximumConnections: 2)
        let loop = EmbeddedEventLoop()
        let waiting = try connection(limits, loop: loop)
        let busy = try connection(limits, loop: loop)
        try read(busy, Self.get, .end(nil))
        let newcomer = try connection(limits, loop: loop)
        #expect(!waiting.isActive, "the connection waiting on its client made room")
        #expect(busy.isActive && newcomer.isActive)
        try read(newcomer, Self.get, .end(nil))

        // Every connection busy: the next one is told so and closed.
        let refused = try connection(limits, loop: loop)
        guard case .head(let response) = try refused.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no answer"); return }
        #expect(response.status == .serviceUnavailable)
        #expect(response.headerFields[.connection] == "close")
        #expect(!refused.isActive)
        #expect(limits.openConnections == 2)
    }
}

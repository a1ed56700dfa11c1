import CallAudioServer
import CallRecordings
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// Connections that send nothing, half a head, or a body one byte at a time are cut off within the configured
/// time while other clients are served; past the connection cap, new clients wait for a free slot. Against the
/// real HTTP server on loopback, with limits of a second so that the suite stays fast.
@Suite struct SlowClientTests {
    static let limits = ConnectionLimits(
        idleTimeout: 1, headTimeout: 1, bodyTimeout: 1, minBodyRate: 1000, maxConnections: 8)

    /// Runs the service's real HTTP server on a free loopback port while `body` runs. (HummingbirdTesting's live
    /// mode drops the connection cap from the configuration, so the server is run here as `serve` runs it.)
    private func withService(
        _ limits: ConnectionLimits = Self.limits, _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        let harness = try await ServiceHarness()
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        let app = RecordingServer.makeApplication(
            service: harness.service,
            settings: .init(keys: APIKeys([ServiceHarness.key]), connections: limits), host: "127.0.0.1", port: 0,
            logger: Logger(label: "test"), onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) })
        let group = ServiceGroup(services: [app], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                var listening = ports.makeAsyncIterator()
                try await body(try #require(await listening.next()))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func idleHalfHeadAndTricklingClientsAreCutOffWhileOthersAreServed() async throws {
        try await withService { port in
            let idle = try RawConnection(port: port)
            let halfHead = try RawConnection(port: port)
            #expect(halfHead.send("GET /livez HTTP/1.1\r\nHost: localhost\r\n"))
            let trickle = try RawConnection(port: port)
            #expect(
                trickle.send(
                    "POST /v1/calls HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(ServiceHarness.key)\r\n"
                        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"))
            // Served while the three hold their connections.
            let answer = try await RawConnection(port: port).exchange(RawConnection.get("/livez"))
            #expect(answer?.hasPrefix("HTTP/1.1 200") == true, "\(answer ?? "no answer")")

            // One byte every 0.2 s: far below 1,000 bytes a second, though never idle for long. Cut off after
            // about a second of body time; the bound is loose for a loaded machine, where the service's own pauses
            // in reading do not count against the client.
            let sent = try await trickle.sendPaced(Array(repeating: "-", count: 150), every: 0.2)
            #expect(sent < 150, "a body trickling one byte every 0.2 s was never cut off")
            #expect(try await idle.closedByServer(within: 30))
            #expect(try await halfHead.closedByServer(within: 30))
        }
    }

    @Test func aSteadyUploadIsNeverCutOffByTheBodyDeadline() async throws {
        try await withService { port in
            let upload = try RawConnection(port: port)
            let part = "--b\r\nContent-Disposition: form-data; name=\"call_id\"\r\n\r\n"
            let filler = String(repeating: "x", count: 4000)
            let end = "\r\n--b--\r\n"
            let head =
                "POST /v1/calls HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(ServiceHarness.key)\r\n"
                + "Content-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: \((part + filler + end).utf8.count)\r\nConnection: close\r\n\r\n" + part
            // 2,000 bytes a second for 2 s (twice the minimum rate, twice the body's grace), the head included in
            // the same paced conversation so that the suite's load cannot slow this client down.
            let pieces = [head] + stride(from: 0, to: 4000, by: 500).map { String(filler.dropFirst($0).prefix(500)) }
            #expect(try await upload.sendPaced(pieces + [end], every: 0.25) == pieces.count + 1)
            let answer = try await upload.exchange("", within: 30)
            // A call with no leg: the route read the whole body and answers it, which only an open connection hears.
            #expect(answer?.hasPrefix("HTTP/1.1 400") == true, "\(answer ?? "cut off")")
            #expect(answer?.contains("leg1") == true)
        }
    }

    @Test func pastTheConnectionCapANewClientWaitsForAFreeSlot() async throws {
        let limits = ConnectionLimits(
            idleTimeout: 2, headTimeout: 2, bodyTimeout: 2, minBodyRate: 1000, maxConnections: 2)
        try await withService(limits) { port in
            // Two clients that made a request and keep their connections: accepted one at a time, they fill the
            // cap (the server accepts several connections per wake-up, so they must not arrive together).
            var holders: [RawConnection] = []
            for _ in 0..<2 {
                let holder = try RawConnection(port: port)
                let keepAlive = "GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n"
                #expect(try await holder.ask(keepAlive, expecting: "\r\n\r\nok"))
                holders.append(holder)
            }
            let answer = try await RawConnection(port: port).exchange(RawConnection.get("/livez"), within: 30)
            #expect(answer?.hasPrefix("HTTP/1.1 200") == true, "\(answer ?? "no answer")")
            // Not before an idle connection was cut off and freed a slot (without the cap, at once).
            var closed = 0
            for holder in holders where try await holder.closedByServer(within: 0) { closed += 1 }
            #expect(closed >= 1)
        }
    }
}

import CallAudioJobs
import CallRecordings
import CallWebhooks
import Crypto
import Foundation
import Testing

/// What API nodes share through the database rather than a disk (issue 24): the media signing key, the same for
/// every node and kept over restarts, and the replay guard, which admits a signed message once across nodes.
@Suite(.postgresServer) struct SharedStateTests {
    @Test(arguments: StoreKind.allCases)
    func everyNodeGetsTheKeyTheFirstOneStored(store: StoreKind) async throws {
        let location = try store.freshLocation()
        let first = try await JobQueueLocation(location).openCatalog(logger: .init(label: "test"))
        let second = try await JobQueueLocation(location).openCatalog(logger: .init(label: "test"))
        let earlier = Data(repeating: 7, count: 32)
        let key = try await first.mediaSigningKey(earlier: earlier)
        #expect(key.withUnsafeBytes { Data($0) } == earlier, "an earlier key file is taken over")
        let other = try await second.mediaSigningKey()
        #expect(other.withUnsafeBytes { Data($0) } == earlier)
        let message = Data("recording".utf8)
        #expect(
            HMAC<SHA256>.authenticationCode(for: message, using: key)
                == HMAC<SHA256>.authenticationCode(for: message, using: other))
        try await first.queue.close()
        try await second.queue.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aSignedMessageIsAdmittedOnceAcrossNodesUntilItsMemoryRunsOut(store: StoreKind) async throws {
        let location = try store.freshLocation()
        let catalogs = [
            try await JobQueueLocation(location).openCatalog(logger: .init(label: "test")),
            try await JobQueueLocation(location).openCatalog(logger: .init(label: "test")),
        ]
        let (first, second) = (CatalogReplayGuard(catalog: catalogs[0]), CatalogReplayGuard(catalog: catalogs[1]))
        let now = Date()
        #expect(try await first.admit("msg_1", now: now))
        #expect(try await !second.admit("msg_1", now: now + 1))
        #expect(try await !first.admit("msg_1", now: now + 2))
        #expect(try await second.admit("msg_2", now: now + 2))
        // Past the window the id is forgotten (its timestamp alone refuses it by then).
        #expect(try await second.admit("msg_1", now: now + replayWindow + 1))
        for catalog in catalogs { try await catalog.queue.close() }
    }
}

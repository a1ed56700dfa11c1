import CallWebhooks
import Crypto
import Foundation

extension RecordingCatalog {
    /// The key that signs media links and access tokens, the same for every API node on the database and across
    /// restarts: made on first use, or taken from `earlier` (the key file of a storage folder from before the key
    /// lived in the database), so that links signed before still open.
    public func mediaSigningKey(earlier: Data? = nil) async throws -> SymmetricKey {
        let proposed = earlier ?? SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return SymmetricKey(data: try await sharedSecret("media-signing-key", proposing: proposed))
    }
}

/// The webhook replay guard of every API node on one database: a signed request's message id is admitted once,
/// by whichever node sees it first, and remembered for the replay window.
public struct CatalogReplayGuard: ReplayGuard {
    let catalog: any RecordingCatalog

    public init(catalog: any RecordingCatalog) { self.catalog = catalog }

    public func admit(_ id: String, now: Date) async throws -> Bool {
        try await catalog.admitMessage(id, now: now, until: now.addingTimeInterval(replayWindow))
    }
}

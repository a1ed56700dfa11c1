import Foundation

/// What every API node on one database shares besides the recordings, so that nodes need no disk in common: the
/// service's secrets (the key that signs media links and access tokens) and the ids of signed requests already
/// accepted (the webhook replay guard).
enum SharedState {
    static let migrationName = "v3: secrets and accepted message ids shared by the API nodes"

    /// The tables, in the SQL both stores speak.
    static func tables(real: String) -> [String] {
        [
            "CREATE TABLE service_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE accepted_messages (id TEXT PRIMARY KEY, expires_at \(real) NOT NULL)",
            "CREATE INDEX accepted_messages_expiry ON accepted_messages (expires_at)",
        ]
    }

    /// Stores secret `name` as `hex` unless one is stored already.
    static func propose(secret name: String, hex: String) -> CatalogQuery {
        CatalogQuery(
            sql: "INSERT INTO service_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            values: [.text(name), .text(hex)])
    }

    /// The stored value of secret `name`.
    static func secret(_ name: String) -> CatalogQuery {
        CatalogQuery(sql: "SELECT value FROM service_secrets WHERE name = ?", values: [.text(name)])
    }

    /// Forgets the message ids whose memory ran out by `now`.
    static func forgetMessages(at now: Date) -> CatalogQuery {
        CatalogQuery(
            sql: "DELETE FROM accepted_messages WHERE expires_at <= ?", values: [.real(now.timeIntervalSince1970)])
    }

    /// Remembers message `id` until `expiry`, answering its id only when it was not remembered already.
    static func admit(message id: String, until expiry: Date) -> CatalogQuery {
        CatalogQuery(
            sql: "INSERT INTO accepted_messages (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
            values: [.text(id), .real(expiry.timeIntervalSince1970)]
        ).returningID
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    static func data(hex: String) -> Data? {
        guard hex.count % 2 == 0 else { return nil }
        var data = Data()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}

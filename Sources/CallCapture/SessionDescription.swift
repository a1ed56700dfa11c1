import Foundation

/// The media lines of an SDP body (RFC 8866) that decide how a capture's RTP is decoded: where each medium
/// is received, its payload types and their codecs, and whether it is encrypted.
public struct SessionDescription: Sendable, Equatable {
    public struct Media: Sendable, Equatable {
        /// Where this side receives the medium.
        public var endpoint: Endpoint
        public var transport: String
        /// Payload type -> codec name and clock rate, from `a=rtpmap` or RFC 3551's static table.
        public var codecs: [Int: Codec]
        /// SRTP (`RTP/SAVP`, `a=crypto`) or DTLS-SRTP (`a=fingerprint`, `UDP/TLS/...`).
        public var isEncrypted: Bool
    }

    public var media: [Media]

    /// Parses the audio media of `text`; nil when it holds none.
    public init?(_ text: Substring) {
        var sessionAddress: String?
        var media: [Media] = []
        var sessionEncrypted = false
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("c=") {
                let address = line.split(separator: " ").last.map { String($0.split(separator: "/")[0]) }
                if media.isEmpty {
                    sessionAddress = address
                } else if let address {
                    media[media.count - 1].endpoint.address = address
                }
            } else if line.hasPrefix("m=") {
                let fields = line.dropFirst(2).split(separator: " ")
                guard fields.count >= 3, fields[0] == "audio", let port = Int(fields[1]) else { continue }
                let transport = String(fields[2])
                var codecs: [Int: Codec] = [:]
                for field in fields.dropFirst(3) {
                    if let type = Int(field) { codecs[type] = Codec.staticTypes[type] }
                }
                media.append(
                    Media(
                        endpoint: Endpoint(address: sessionAddress ?? "", port: port), transport: transport,
                        codecs: codecs, isEncrypted: transport.contains("SAVP") || transport.contains("TLS")))
            } else if line.hasPrefix("a=rtpmap:"), !media.isEmpty {
                let fields = line.dropFirst(9).split(separator: " ", maxSplits: 1)
                guard fields.count == 2, let type = Int(fields[0]) else { continue }
                let parts = fields[1].split(separator: "/")
                guard let name = parts.first, parts.count >= 2, let rate = Int(parts[1]) else { continue }
                media[media.count - 1].codecs[type] = Codec(name: String(name), clockRate: rate)
            } else if line.hasPrefix("a=crypto:") || line.hasPrefix("a=fingerprint:") {
                if media.isEmpty { sessionEncrypted = true } else { media[media.count - 1].isEncrypted = true }
            }
        }
        guard !media.isEmpty else { return nil }
        self.media = media.map {
            var medium = $0
            medium.isEncrypted = medium.isEncrypted || sessionEncrypted
            return medium
        }
    }
}

/// A codec as RTP names it: the encoding name from `a=rtpmap` (or RFC 3551) and its RTP clock rate.
public struct Codec: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    public var clockRate: Int

    public init(name: String, clockRate: Int) {
        self.name = name
        self.clockRate = clockRate
    }

    /// RFC 3551's static payload types that phone systems send.
    public static let staticTypes: [Int: Codec] = [
        0: Codec(name: "PCMU", clockRate: 8_000), 3: Codec(name: "GSM", clockRate: 8_000),
        4: Codec(name: "G723", clockRate: 8_000), 8: Codec(name: "PCMA", clockRate: 8_000),
        9: Codec(name: "G722", clockRate: 8_000), 13: Codec(name: "CN", clockRate: 8_000),
        18: Codec(name: "G729", clockRate: 8_000),
    ]

    /// RFC 3389 comfort noise: never audio.
    public var isComfortNoise: Bool { name.uppercased() == "CN" }
    /// RFC 4733 telephone events (DTMF): never audio.
    public var isTelephoneEvent: Bool { name.lowercased() == "telephone-event" }

    public var description: String { "\(name)/\(clockRate)" }
}

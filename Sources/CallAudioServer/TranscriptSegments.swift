import Foundation

/// The lines of `call.transcript.json` the player shows: when each starts, who speaks, what is said.
/// Reads both `{"segments": [...]}` and a bare array, and ignores the fields it does not show.
struct TranscriptSegments: Decodable {
    struct Segment: Decodable {
        var start: Double
        var end: Double?
        var speaker: String?
        var leg: Int?
        var text: String
    }

    var segments: [Segment]

    private enum CodingKeys: String, CodingKey { case segments }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: CodingKeys.self) {
            segments = try container.decode([Segment].self, forKey: .segments)
        } else {
            segments = try [Segment](from: decoder)
        }
    }

    /// The segments in `call.transcript.json`'s bytes; nil when there are none or they cannot be read.
    init?(json: Data?) {
        guard let json, let read = try? JSONDecoder().decode(TranscriptSegments.self, from: json) else { return nil }
        self = read
    }
}

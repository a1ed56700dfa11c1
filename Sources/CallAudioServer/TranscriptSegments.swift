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

    /// The segments in `folder`'s `call.transcript.json`; nil when there is none or it cannot be read.
    static func read(in folder: URL) -> [Segment]? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("call.transcript.json")) else {
            return nil
        }
        return try? JSONDecoder().decode(TranscriptSegments.self, from: data).segments
    }
}

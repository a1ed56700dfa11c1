import Foundation

/// Any JSON value, kept as parsed: how the queue holds a job's recipe and its report without knowing their types.
/// The kinds' own code turns its types into one (`init(encoding:)`) and back (`decode(_:)`), in the queue's JSON
/// conventions (keys sorted, times in ISO 8601: `docs/queue-format.md`).
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// `value` as JSON.
    public init(encoding value: some Encodable) throws {
        self = try JobRow.decode(JSONValue.self, json: JobRow.json(value))
    }

    /// This JSON read as `type`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JobRow.decode(type, json: JobRow.json(self))
    }

    /// The value under `key` of an object; nil for a missing key or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let bool): try container.encode(bool)
        case .number(let number): try container.encode(number)
        case .string(let string): try container.encode(string)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }
}

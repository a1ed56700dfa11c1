import CallRecordings
import Foundation

/// What a `Range` request header asks of a representation of `length` bytes, per RFC 9110 section 14.
///
/// Only single ranges are served: a request for several ranges gets the whole representation (`200`), which
/// RFC 9110 allows and every browser handles. Pure value logic, tested without I/O.
public enum ByteRangeAnswer: Equatable, Sendable {
    /// No usable range (absent, not `bytes=`, malformed, or several ranges): send the whole file with `200`.
    case whole
    /// One satisfiable range: send these bytes with `206` and `Content-Range: bytes first-last/length`.
    case partial(ClosedRange<Int>)
    /// A well-formed range that lies past the end: `416` with `Content-Range: bytes */length`.
    case unsatisfiable

    /// Evaluates `header` (the `Range` field's value, if any) against a representation of `length` bytes.
    public init(header: String?, length: Int) {
        guard let header, header.hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let specs = header.dropFirst("bytes=".count).split(separator: ",", omittingEmptySubsequences: false)
        guard specs.count == 1, let spec = Self.parse(specs[0].trimmingCharacters(in: .whitespaces)) else {
            self = .whole
            return
        }
        switch spec {
        case .from(let first, let last):
            guard first < length else {
                self = .unsatisfiable
                return
            }
            self = .partial(first...min(last ?? length - 1, length - 1))
        case .suffix(let count):
            guard count > 0, length > 0 else {
                self = .unsatisfiable
                return
            }
            self = .partial(max(0, length - count)...length - 1)
        }
    }

    private enum Spec {
        case from(Int, Int?)
        case suffix(Int)
    }

    /// `first-last`, `first-` or `-suffixLength`; nil when malformed (which makes the header ignored).
    private static func parse(_ text: String) -> Spec? {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let digits = { (part: Substring) -> Int? in
            part.isEmpty || !part.allSatisfy(\.isASCII) || !part.allSatisfy(\.isNumber) ? nil : Int(part)
        }
        if parts[0].isEmpty {
            return digits(parts[1]).map(Spec.suffix)
        }
        guard let first = digits(parts[0]) else { return nil }
        if parts[1].isEmpty { return .from(first, nil) }
        guard let last = digits(parts[1]), last >= first else { return nil }
        return .from(first, last)
    }
}

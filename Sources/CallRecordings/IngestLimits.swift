import CallAudio
import Foundation

/// How much work one ingest request may ask for: a 10 KB request must not become a 24-hour call. Refused at
/// ingest with a `400` naming the field where the request or a leg's header shows it; the call's length is
/// also carried into the recipe, which stops a leg whose length only decoding reveals.
public struct IngestLimits: Sendable, Equatable {
    /// The most legs one call may have.
    public var maxLegs: Int
    /// The longest call, legs' offsets included, in seconds.
    public var maxCallSeconds: Double

    public init(maxLegs: Int = 16, maxCallSeconds: Double = 4 * 3600) {
        self.maxLegs = maxLegs
        self.maxCallSeconds = maxCallSeconds
    }

    /// Refuses more legs than allowed, naming the first one too many.
    func checkLegCount(_ count: Int) throws(FieldProblem) {
        guard count > maxLegs else { return }
        throw FieldProblem(message: "leg\(maxLegs + 1): a call takes at most \(maxLegs) legs")
    }

    /// Refuses a leg whose offset, or offset plus the length its header declares, runs past the call limit.
    func checkLength(of legs: [URL], fields: IngestFields, names: [String]) throws(FieldProblem) {
        let earliest = min(0, fields.offsets.values.min() ?? 0)
        for (index, leg) in legs.enumerated() {
            let offset = (fields.offsets[index + 1] ?? 0) - earliest
            let end = offset + (AudioFiles.declaredDuration(of: leg.path) ?? 0)
            guard end > maxCallSeconds else { continue }
            let field = fields.offsets[index + 1].map { _ in "offsets" } ?? names[index]
            throw FieldProblem(
                message: "\(field): leg \(index + 1) ends \(Int(end.rounded(.up))) s into the call, past the limit of "
                    + "\(Int(maxCallSeconds)) s")
        }
    }
}

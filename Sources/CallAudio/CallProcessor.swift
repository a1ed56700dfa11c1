import AudioCore
import Foundation

/// Runs a `CallRecipe`: decodes every leg, aligns and mixes them, and writes the outputs and the report.
public struct CallProcessor: Sendable {
    public init() {}

    /// Processes the call and returns its report (also written as `<outputName>.json` in the output folder).
    public func run(_ recipe: CallRecipe) throws -> CallReport {
        throw AudioError(.invalidRecipe, "not built yet")
    }
}

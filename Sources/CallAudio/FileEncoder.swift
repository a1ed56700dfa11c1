/// Runs an `EncodeRecipe`: decodes one file and writes it in another container, atomically.
public struct FileEncoder: Sendable {
    public init() {}

    public func run(_ recipe: EncodeRecipe) throws -> EncodeResult {
        throw AudioError(.invalidRecipe, "not built yet")
    }
}

import COnnxRuntime

/// What a model says of one of its inputs or outputs: name, element type and dimensions (-1 where the dimension
/// is free, with its symbolic name such as `batch_size`).
struct OnnxTensorInfo: Sendable, Hashable, CustomStringConvertible {
    var name: String
    var elementType: UInt32
    var dimensions: [Int64]
    var symbolicDimensions: [String]

    /// `input_ids int64 [batch_size, decoder_sequence_length]`: free dimensions by name, fixed ones by size.
    var description: String {
        let type =
            switch CAOrtElementType(rawValue: elementType) {
            case CA_ORT_ELEMENT_FLOAT: "float"
            case CA_ORT_ELEMENT_INT64: "int64"
            case CA_ORT_ELEMENT_BOOL: "bool"
            default: "type \(elementType)"
            }
        let sizes = zip(dimensions, symbolicDimensions).map { $0 >= 0 ? "\($0)" : ($1.isEmpty ? "?" : $1) }
        return "\(name) \(type) [\(sizes.joined(separator: ", "))]"
    }

    /// The dimensions recorded in `info` (an `OrtTensorTypeAndShapeInfo`).
    static func dimensions(of info: OpaquePointer, runtime: OnnxRuntime) throws(TranscriptionError) -> [Int64] {
        var count = 0
        try runtime.check(runtime.api.GetDimensionsCount(info, &count), .malformedReply, "a tensor's rank")
        var dimensions = [Int64](repeating: 0, count: count)
        try runtime.check(
            runtime.api.GetDimensions(info, &dimensions, count), .malformedReply, "a tensor's dimensions")
        return dimensions
    }

    /// The description of `typeInfo` (an `OrtTypeInfo`, which this frees) named `name`.
    static func describing(_ typeInfo: OpaquePointer, name: String, runtime: OnnxRuntime) throws(TranscriptionError)
        -> OnnxTensorInfo
    {
        defer { runtime.api.ReleaseTypeInfo(typeInfo) }
        var tensor: OpaquePointer?
        try runtime.check(runtime.api.CastTypeInfoToTensorInfo(typeInfo, &tensor), .misconfigured, name)
        guard let tensor else { throw TranscriptionError(.misconfigured, "\(name) is not a tensor") }
        var type = CA_ORT_ELEMENT_UNDEFINED
        try runtime.check(runtime.api.GetTensorElementType(tensor, &type), .misconfigured, name)
        let dimensions = try Self.dimensions(of: tensor, runtime: runtime)
        var names = [UnsafePointer<CChar>?](repeating: nil, count: dimensions.count)
        try runtime.check(
            runtime.api.GetSymbolicDimensions(tensor, &names, names.count), .misconfigured, name)
        return OnnxTensorInfo(
            name: name, elementType: type.rawValue, dimensions: dimensions,
            symbolicDimensions: names.map { $0.map { String(cString: $0) } ?? "" })
    }
}

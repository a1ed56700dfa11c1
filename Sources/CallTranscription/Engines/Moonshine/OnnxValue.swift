import COnnxRuntime

/// One tensor handed to or returned by ONNX Runtime. Owns its `OrtValue` and frees it in `deinit`, so a value
/// moved from one run's outputs to the next run's inputs (a decoder's key-value cache) is never copied.
final class OnnxValue {
    let runtime: OnnxRuntime
    let handle: OpaquePointer

    /// Takes ownership of `handle`.
    init(owning handle: OpaquePointer, runtime: OnnxRuntime) {
        self.runtime = runtime
        self.handle = handle
    }

    /// A new tensor of `shape` and element `type`, its memory filled by `fill` (given its start).
    static func tensor(
        _ runtime: OnnxRuntime, shape: [Int64], type: CAOrtElementType,
        fill: (UnsafeMutableRawPointer) -> Void
    ) throws(TranscriptionError) -> OnnxValue {
        var handle: OpaquePointer?
        try runtime.check(
            runtime.api.CreateTensorAsOrtValue(try runtime.defaultAllocator(), shape, shape.count, type, &handle),
            .malformedReply, "a tensor of shape \(shape)")
        guard let handle else { throw TranscriptionError(.malformedReply, "ONNX Runtime made no tensor") }
        let value = OnnxValue(owning: handle, runtime: runtime)
        fill(try value.data())
        return value
    }

    /// A float tensor of `shape` holding `values` (as many as the shape's elements).
    static func floats(_ runtime: OnnxRuntime, shape: [Int64], _ values: [Float]) throws(TranscriptionError)
        -> OnnxValue
    {
        try tensor(runtime, shape: shape, type: CA_ORT_ELEMENT_FLOAT) { start in
            values.withUnsafeBytes {
                if let base = $0.baseAddress { start.copyMemory(from: base, byteCount: $0.count) }
            }
        }
    }

    /// An int64 tensor of `shape` holding `values`.
    static func int64s(_ runtime: OnnxRuntime, shape: [Int64], _ values: [Int64]) throws(TranscriptionError)
        -> OnnxValue
    {
        try tensor(runtime, shape: shape, type: CA_ORT_ELEMENT_INT64) { start in
            values.withUnsafeBytes {
                if let base = $0.baseAddress { start.copyMemory(from: base, byteCount: $0.count) }
            }
        }
    }

    /// A one-element boolean tensor of shape `[1]`.
    static func bool(_ runtime: OnnxRuntime, _ value: Bool) throws(TranscriptionError) -> OnnxValue {
        try tensor(runtime, shape: [1], type: CA_ORT_ELEMENT_BOOL) { $0.storeBytes(of: value ? 1 : 0, as: UInt8.self) }
    }

    deinit { runtime.api.ReleaseValue(handle) }

    /// The tensor's dimensions.
    func shape() throws(TranscriptionError) -> [Int64] {
        var info: OpaquePointer?
        try runtime.check(runtime.api.GetTensorTypeAndShape(handle, &info), .malformedReply, "a tensor's shape")
        guard let info else { return [] }
        defer { runtime.api.ReleaseTensorTypeAndShapeInfo(info) }
        return try OnnxTensorInfo.dimensions(of: info, runtime: runtime)
    }

    /// The start of the tensor's memory, valid while this value lives.
    func data() throws(TranscriptionError) -> UnsafeMutableRawPointer {
        var data: UnsafeMutableRawPointer?
        try runtime.check(runtime.api.GetTensorMutableData(handle, &data), .malformedReply, "a tensor's data")
        guard let data else { throw TranscriptionError(.malformedReply, "a tensor without data") }
        return data
    }

    /// The index of the largest of the last `count` floats: the most likely token of a decoder's last position.
    func argmaxOfLast(_ count: Int) throws(TranscriptionError) -> Int {
        let total = Int(try shape().reduce(1, *))
        guard count > 0, total >= count else {
            throw TranscriptionError(.malformedReply, "logits of \(total) values, fewer than a vocabulary of \(count)")
        }
        let floats = try data().assumingMemoryBound(to: Float.self) + (total - count)
        var best = 0
        for index in 1..<count where floats[index] > floats[best] { best = index }
        return best
    }
}

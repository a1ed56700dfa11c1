import COnnxRuntime
import Foundation

/// One model loaded into ONNX Runtime (an `.onnx` or `.ort` file), run on the CPU. Owns its `OrtSession` and
/// frees it in `deinit`; keeps its environment alive. `@unchecked Sendable`: nothing is changed after `init`, and
/// ONNX Runtime lets several threads run one session at once.
final class OnnxSession: @unchecked Sendable {
    let environment: OnnxEnvironment
    let handle: OpaquePointer
    /// The model's inputs and outputs, in its own order.
    let inputs: [OnnxTensorInfo]
    let outputs: [OnnxTensorInfo]
    private var runtime: OnnxRuntime { environment.runtime }

    /// Loads the model at `path`, to run with `threads` threads inside each operator (without spinning between
    /// operators, so an idle session leaves the cores to the rest of the pipeline).
    /// - Throws: `TranscriptionError.misconfigured` with ONNX Runtime's words when the model cannot be loaded.
    init(_ path: String, environment: OnnxEnvironment, threads: Int) throws(TranscriptionError) {
        let runtime = environment.runtime
        let api = runtime.api
        var options: OpaquePointer?
        try runtime.check(api.CreateSessionOptions(&options), .misconfigured, "ONNX Runtime's session options")
        guard let options else { throw TranscriptionError(.misconfigured, "ONNX Runtime made no session options") }
        defer { api.ReleaseSessionOptions(options) }
        try runtime.check(api.SetIntraOpNumThreads(options, Int32(threads)), .misconfigured, "\(threads) threads")
        try runtime.check(api.SetInterOpNumThreads(options, 1), .misconfigured, "one graph thread")
        try runtime.check(
            api.AddSessionConfigEntry(options, "session.intra_op.allow_spinning", "0"), .misconfigured,
            "threads without spinning")
        var handle: OpaquePointer?
        try runtime.check(api.CreateSession(environment.handle, path, options, &handle), .misconfigured, path)
        guard let handle else { throw TranscriptionError(.misconfigured, "\(path): ONNX Runtime made no session") }
        self.environment = environment
        self.handle = handle
        do {
            inputs = try Self.describe(handle, runtime: runtime, output: false)
            outputs = try Self.describe(handle, runtime: runtime, output: true)
        } catch {
            api.ReleaseSession(handle)
            throw error
        }
    }

    deinit { environment.runtime.api.ReleaseSession(handle) }

    /// Runs the model on `inputs` (by name) and returns the outputs named `outputNames`, in that order.
    /// - Throws: `TranscriptionError.malformedReply` with ONNX Runtime's words.
    func run(_ inputs: [(name: String, value: OnnxValue)], outputs outputNames: [String]) throws(TranscriptionError)
        -> [OnnxValue]
    {
        let inputNames = inputs.map { UnsafePointer(strdup($0.name)) }
        let outputNamePointers = outputNames.map { UnsafePointer(strdup($0)) }
        defer { for name in inputNames + outputNamePointers { free(UnsafeMutablePointer(mutating: name)) } }
        let values: [OpaquePointer?] = inputs.map { $0.value.handle }
        var results = [OpaquePointer?](repeating: nil, count: outputNames.count)
        let status = runtime.api.Run(
            handle, nil, inputNames, values, values.count, outputNamePointers, outputNamePointers.count, &results)
        let owned = results.compactMap { $0.map { OnnxValue(owning: $0, runtime: runtime) } }
        try runtime.check(status, .malformedReply, "ONNX Runtime could not run the model")
        guard owned.count == outputNames.count else {
            throw TranscriptionError(
                .malformedReply, "ONNX Runtime returned \(owned.count) of \(outputNames.count) outputs")
        }
        return owned
    }

    private static func describe(_ session: OpaquePointer, runtime: OnnxRuntime, output: Bool)
        throws(TranscriptionError) -> [OnnxTensorInfo]
    {
        let api = runtime.api
        let allocator = try runtime.defaultAllocator()
        var count = 0
        try runtime.check(
            output ? api.SessionGetOutputCount(session, &count) : api.SessionGetInputCount(session, &count),
            .misconfigured, "a model's \(output ? "outputs" : "inputs")")
        var described: [OnnxTensorInfo] = []
        for index in 0..<count {
            var name: UnsafeMutablePointer<CChar>?
            try runtime.check(
                output
                    ? api.SessionGetOutputName(session, index, allocator, &name)
                    : api.SessionGetInputName(session, index, allocator, &name), .misconfigured, "a model's names")
            guard let name else { throw TranscriptionError(.misconfigured, "a model's tensor without a name") }
            let text = String(cString: name)
            try runtime.check(api.AllocatorFree(allocator, name), .misconfigured, "freeing a name")
            var typeInfo: OpaquePointer?
            try runtime.check(
                output
                    ? api.SessionGetOutputTypeInfo(session, index, &typeInfo)
                    : api.SessionGetInputTypeInfo(session, index, &typeInfo), .misconfigured, text)
            guard let typeInfo else { throw TranscriptionError(.misconfigured, "\(text) has no type") }
            described.append(try OnnxTensorInfo.describing(typeInfo, name: text, runtime: runtime))
        }
        return described
    }
}

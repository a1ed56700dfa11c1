import COnnxRuntime

/// ONNX Runtime's environment (its logger and shared state), which every session needs and must outlive. Owns the
/// handle and frees it in `deinit`; sessions keep it alive. `@unchecked Sendable`: nothing is changed after `init`,
/// and ONNX Runtime's environment is safe to share between threads.
final class OnnxEnvironment: @unchecked Sendable {
    let runtime: OnnxRuntime
    let handle: OpaquePointer

    /// A new environment that logs only errors (to standard error, as the library does).
    init(runtime: OnnxRuntime) throws(TranscriptionError) {
        var handle: OpaquePointer?
        try runtime.check(
            runtime.api.CreateEnv(CA_ORT_LOGGING_ERROR, "callaudio", &handle), .misconfigured,
            "ONNX Runtime's environment")
        guard let handle else { throw TranscriptionError(.misconfigured, "ONNX Runtime made no environment") }
        self.runtime = runtime
        self.handle = handle
    }

    deinit { runtime.api.ReleaseEnv(handle) }
}

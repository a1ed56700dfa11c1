import AudioCore
import COnnxRuntime
import Foundation

/// ONNX Runtime's C API, loaded at run time with `dlopen` from a checked installation: the table of functions that
/// `OrtGetApiBase()->GetApi(22)` hands out (declared in `COnnxRuntime`).
///
/// The library stays loaded for the life of the process (each environment, session and value frees its own
/// handle), so one instance per library path is kept and shared.
final class OnnxRuntime: @unchecked Sendable {
    // The table is the library's own, immutable, and its functions may be called from any thread.
    let api: CAOrtApi
    /// The library's version, such as `1.22.1`.
    let version: String

    /// The library at `path`, loaded on first use.
    /// - Throws: `TranscriptionError.misconfigured` when it cannot be loaded or is older than API version 22.
    static func load(_ path: String) throws(TranscriptionError) -> OnnxRuntime {
        try loaded.runtime(at: path)
    }

    private static let loaded = LoadedRuntimes()

    fileprivate init(_ path: String) throws(TranscriptionError) {
        let base: ca_ort_get_api_base
        do {
            base = try SharedLibrary(path).function("OrtGetApiBase", as: ca_ort_get_api_base.self)
        } catch {
            throw TranscriptionError(.misconfigured, "\(path) cannot be loaded as ONNX Runtime (\(error.reason))")
        }
        guard let apiBase = base(), let table = apiBase.pointee.GetApi(UInt32(CA_ORT_API_VERSION)) else {
            throw TranscriptionError(.misconfigured, "\(path) is older than ONNX Runtime 1.22")
        }
        api = table.pointee
        version = apiBase.pointee.GetVersionString().map { String(cString: $0) } ?? "unknown"
    }

    /// Throws the message of `status` (and frees it) unless it is success (nil).
    /// - Parameter context: what was being done, leading the message.
    func check(_ status: OpaquePointer?, _ kind: TranscriptionError.Kind, _ context: @autoclosure () -> String)
        throws(TranscriptionError)
    {
        guard let status else { return }
        let message = api.GetErrorMessage(status).map { String(cString: $0) } ?? "unknown error"
        api.ReleaseStatus(status)
        throw TranscriptionError(kind, "\(context()): \(message)")
    }

    /// ONNX Runtime's default CPU allocator (owned by the library, never freed).
    func defaultAllocator() throws(TranscriptionError) -> OpaquePointer {
        var allocator: OpaquePointer?
        try check(api.GetAllocatorWithDefaultOptions(&allocator), .misconfigured, "ONNX Runtime's allocator")
        guard let allocator else { throw TranscriptionError(.misconfigured, "ONNX Runtime has no CPU allocator") }
        return allocator
    }
}

/// One loaded runtime per library path, shared across threads.
private final class LoadedRuntimes: @unchecked Sendable {
    // Guarded by `lock`, which is what makes sharing it safe.
    private let lock = NSLock()
    private var runtimes: [String: OnnxRuntime] = [:]

    func runtime(at path: String) throws(TranscriptionError) -> OnnxRuntime {
        lock.lock()
        defer { lock.unlock() }
        if let runtime = runtimes[path] { return runtime }
        let runtime = try OnnxRuntime(path)
        runtimes[path] = runtime
        return runtime
    }
}

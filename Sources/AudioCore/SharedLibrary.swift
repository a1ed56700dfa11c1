#if canImport(Glibc)
    import Glibc
#endif

/// A C library loaded at run time with `dlopen`, for what only some runs call (DeepFilterNet, the embedded
/// speech recognizer, the SHA-256 that checks DeepFilterNet's files): linked at build time, each would be loaded,
/// with everything it links in turn, by every run of every command, and count in each one's memory.
///
/// Loaded once and never unloaded; the functions are looked up by name and typed by the caller's C declaration.
public struct SharedLibrary: @unchecked Sendable {
    // A dlopen handle: valid for the life of the process, and dlsym may be called on it from any thread.
    private let handle: UnsafeMutableRawPointer
    /// The file name or path it was loaded from.
    public let name: String

    /// Loads `name` (a path, or a file name the dynamic loader searches for, such as `libcrypto.so.3`).
    /// - Throws: `SharedLibrary.LoadError` with the loader's reason.
    public init(_ name: String) throws(LoadError) {
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            throw LoadError(reason: dlerror().map { String(cString: $0) } ?? "dlopen failed")
        }
        self.handle = handle
        self.name = name
    }

    /// The function `symbol`, as the C function pointer type `type` (declared to match the library's header).
    /// - Throws: `SharedLibrary.LoadError` when the library has no such symbol.
    public func function<Function>(_ symbol: String, as type: Function.Type) throws(LoadError) -> Function {
        guard let address = dlsym(handle, symbol) else { throw LoadError(reason: "\(name) lacks \(symbol)") }
        return unsafeBitCast(address, to: type)
    }

    /// Why a library or one of its functions could not be loaded, in the loader's words.
    public struct LoadError: Error, Sendable {
        public let reason: String
    }
}

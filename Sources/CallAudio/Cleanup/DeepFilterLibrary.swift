import AudioCore
import CDeepFilter
import Foundation

/// DeepFilterNet's C API, loaded at run time with `dlopen` from a checked installation: the five functions
/// CallAudio calls, looked up by name.
///
/// The library stays loaded for the life of the process (each `DeepFilterNet` frees its own state), so one
/// instance per installation is kept and shared by every leg.
final class DeepFilterLibrary: Sendable {
    let create: ca_df_create
    let frameLength: ca_df_get_frame_length
    let processFrame: ca_df_process_frame
    let setAttenuationLimit: ca_df_set_atten_lim
    let free: ca_df_free
    let installation: DeepFilterInstallation

    /// The library of `installation`, loaded on first use.
    static func load(_ installation: DeepFilterInstallation) throws(AudioError) -> DeepFilterLibrary {
        try loaded.library(for: installation)
    }

    private static let loaded = LoadedLibraries()

    fileprivate init(_ installation: DeepFilterInstallation) throws(AudioError) {
        let path = installation.libraryPath
        let library: SharedLibrary
        do {
            library = try SharedLibrary(path)
        } catch {
            throw AudioError(.unsupportedFormat, path: path, "cannot be loaded (\(error.reason))")
        }
        func symbol<Function>(_ name: String, as type: Function.Type) throws(AudioError) -> Function {
            do {
                return try library.function(name, as: type)
            } catch {
                throw AudioError(.unsupportedFormat, path: path, "lacks \(name): not DeepFilterNet's C API")
            }
        }
        create = try symbol("df_create", as: ca_df_create.self)
        frameLength = try symbol("df_get_frame_length", as: ca_df_get_frame_length.self)
        processFrame = try symbol("df_process_frame", as: ca_df_process_frame.self)
        setAttenuationLimit = try symbol("df_set_atten_lim", as: ca_df_set_atten_lim.self)
        free = try symbol("df_free", as: ca_df_free.self)
        self.installation = installation
    }
}

/// One loaded library per installation folder, shared across threads.
private final class LoadedLibraries: @unchecked Sendable {
    // Guarded by `lock`, which is what makes sharing it safe.
    private let lock = NSLock()
    private var libraries: [String: DeepFilterLibrary] = [:]

    func library(for installation: DeepFilterInstallation) throws(AudioError) -> DeepFilterLibrary {
        lock.lock()
        defer { lock.unlock() }
        if let library = libraries[installation.folder] { return library }
        let library = try DeepFilterLibrary(installation)
        libraries[installation.folder] = library
        return library
    }
}

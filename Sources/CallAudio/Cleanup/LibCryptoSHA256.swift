import AudioCore
import CLibCrypto
import Foundation

/// SHA-256 by the system's OpenSSL libcrypto, loaded on first use (only `--denoise deep` checks files), so that
/// the audio core neither compiles a TLS library of its own nor loads one into every run.
struct LibCryptoSHA256: Sendable {
    private let newContext: ca_evp_md_ctx_new
    private let freeContext: ca_evp_md_ctx_free
    private let sha256: ca_evp_sha256
    private let initialize: ca_evp_digest_init_ex
    private let update: ca_evp_digest_update
    private let finish: ca_evp_digest_final_ex

    /// The library, loaded once per process; the loader's reason when it cannot be.
    static let shared = Result { () throws(SharedLibrary.LoadError) in
        try LibCryptoSHA256(SharedLibrary("libcrypto.so.3"))
    }

    private init(_ library: SharedLibrary) throws(SharedLibrary.LoadError) {
        newContext = try library.function("EVP_MD_CTX_new", as: ca_evp_md_ctx_new.self)
        freeContext = try library.function("EVP_MD_CTX_free", as: ca_evp_md_ctx_free.self)
        sha256 = try library.function("EVP_sha256", as: ca_evp_sha256.self)
        initialize = try library.function("EVP_DigestInit_ex", as: ca_evp_digest_init_ex.self)
        update = try library.function("EVP_DigestUpdate", as: ca_evp_digest_update.self)
        finish = try library.function("EVP_DigestFinal_ex", as: ca_evp_digest_final_ex.self)
    }

    /// The lowercase hex SHA-256 of what `file` holds, read in 1 MiB blocks so memory stays small whatever the
    /// file; nil when it cannot be read or digested.
    func hexDigest(of file: FileHandle) -> String? {
        guard let context = newContext() else { return nil }
        defer { freeContext(context) }
        guard initialize(context, sha256(), nil) == 1 else { return nil }
        while let block = try? file.read(upToCount: 1 << 20), !block.isEmpty {
            guard block.withUnsafeBytes({ update(context, $0.baseAddress, $0.count) }) == 1 else { return nil }
        }
        var digest = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        guard finish(context, &digest, &length) == 1 else { return nil }
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}

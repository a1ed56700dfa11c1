#include <stddef.h>

// The six functions of OpenSSL's EVP digest API (libcrypto) that check DeepFilterNet's files, as function
// pointer types: the library is not linked but loaded at run time with dlopen, only by `--denoise deep`, so that
// no other run loads it. Contexts and digests are opaque pointers here.

/// Makes a digest context; NULL when out of memory.
typedef void *(*ca_evp_md_ctx_new)(void);
/// Frees a context made by EVP_MD_CTX_new.
typedef void (*ca_evp_md_ctx_free)(void *context);
/// The SHA-256 digest.
typedef const void *(*ca_evp_sha256)(void);
/// Starts a digest of `type` in `context` (`engine` NULL); 1 on success.
typedef int (*ca_evp_digest_init_ex)(void *context, const void *type, void *engine);
/// Adds `count` bytes at `data`; 1 on success.
typedef int (*ca_evp_digest_update)(void *context, const void *data, size_t count);
/// Writes the digest to `digest` (room for EVP_MAX_MD_SIZE, 64 bytes) and its length to `length`; 1 on success.
typedef int (*ca_evp_digest_final_ex)(void *context, unsigned char *digest, unsigned int *length);

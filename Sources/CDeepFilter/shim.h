#include <stddef.h>

// The five functions of DeepFilterNet's C API (libDF's capi.rs) that CallAudio calls, as function pointer
// types: the library is not linked but loaded at run time with dlopen and these looked up with dlsym, so the
// package builds, and everything but `--denoise deep` works, on a machine without it.

/// Loads the model (a .tar.gz of ONNX files) and makes one denoiser state; aborts the process on a bad model.
typedef void *(*ca_df_create)(const char *model_tar_gz_path, float atten_lim_db, const char *log_level);
/// Samples per frame at 48 kHz (480, 10 ms).
typedef size_t (*ca_df_get_frame_length)(void *state);
/// Denoises one frame from `input` into `output`; returns the frame's local SNR estimate.
typedef float (*ca_df_process_frame)(void *state, float *input, float *output);
/// The most the denoiser attenuates, in dB (100 is unlimited).
typedef void (*ca_df_set_atten_lim)(void *state, float limit_db);
/// Frees a state made by df_create.
typedef void (*ca_df_free)(void *state);

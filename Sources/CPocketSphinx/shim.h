#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

// The functions of PocketSphinx 5prealpha (libpocketsphinx.so.3, with sphinxbase's command-line and logging
// functions it brings along) that the embedded engine calls, as function pointer types declared after Debian's
// pocketsphinx.h, cmd_ln.h and err.h: the library is not linked but loaded at run time with dlopen when the
// engine first runs, because linking it loads some 18 libraries (BLAS, LAPACK, PulseAudio, X11) into every run.
// Decoders, configurations, argument tables and segments are opaque pointers here.

/// The argument definitions ps_init understands.
typedef const void *(*cps_args)(void);
/// Parses `argc` strings of `argv` ("-name", "value", ...) against `definitions` into a new configuration
/// (`configuration` NULL); NULL on a bad argument.
typedef void *(*cps_cmd_ln_parse_r)(void *configuration, const void *definitions, int32_t argc, char *argv[],
                                    int32_t strict);
/// Releases a configuration (the decoder keeps its own reference).
typedef int (*cps_cmd_ln_free_r)(void *configuration);
/// Sends the library's log to `stream`; NULL turns it off.
typedef void (*cps_err_set_logfp)(FILE *stream);
/// A decoder for `configuration`; NULL when its model cannot be loaded.
typedef void *(*cps_init)(void *configuration);
/// Frees a decoder.
typedef int (*cps_free)(void *decoder);
/// Starts an utterance; negative on error.
typedef int (*cps_start_utt)(void *decoder);
/// Decodes `count` 16-bit samples; negative on error.
typedef int (*cps_process_raw)(void *decoder, const int16_t *samples, size_t count, int no_search, int full_utt);
/// Ends the utterance; negative on error.
typedef int (*cps_end_utt)(void *decoder);
/// The first word segment of the best hypothesis, or NULL.
typedef void *(*cps_seg_iter)(void *decoder);
/// The next segment, or NULL at the end (which frees the iterator).
typedef void *(*cps_seg_next)(void *segment);
/// The segment's word, valid until the next call of ps_seg_next.
typedef const char *(*cps_seg_word)(void *segment);
/// The segment's first and last frame.
typedef void (*cps_seg_frames)(void *segment, int *start_frame, int *end_frame);

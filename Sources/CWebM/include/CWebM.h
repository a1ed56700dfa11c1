#ifndef CALLAUDIO_CWEBM_H
#define CALLAUDIO_CWEBM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A WebM (Matroska) file opened for its first audio track's frames, read one at a time: a plain C API over
/// Debian's libwebm (`webm::WebmParser`), which Swift cannot call directly.
typedef struct callaudio_webm callaudio_webm;

/// What the first audio track says of itself.
typedef struct {
    char codec_id[32];      /// "A_OPUS", "A_VORBIS", ...
    uint64_t channels;
    double sampling_frequency;
    uint64_t codec_delay_ns;  /// CodecDelay: Opus pre-skip, in nanoseconds (0 when absent).
    uint8_t codec_private[64];  /// The start of CodecPrivate (an OpusHead for Opus).
    size_t codec_private_size;
} callaudio_webm_track;

/// Opens `path` and parses up to its first audio track; NULL with `error` filled when the file cannot be read,
/// is not WebM/Matroska, or has no audio track.
callaudio_webm *callaudio_webm_open(const char *path, callaudio_webm_track *track, char *error, size_t error_size);

/// Copies the audio track's next frame into `buffer`. Returns its size, 0 at the end of the file, -1 when the
/// file is damaged (with `error` filled), -2 when the frame is larger than `capacity`.
long callaudio_webm_next_frame(callaudio_webm *webm, uint8_t *buffer, size_t capacity, char *error, size_t error_size);

void callaudio_webm_close(callaudio_webm *webm);

#ifdef __cplusplus
}
#endif

#endif

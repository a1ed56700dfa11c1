// FFmpeg's demuxers, decoders and sample converter, for the AAC audio of MP4/M4A files.
#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>

// FFmpeg's error codes are function-like macros, which Swift cannot import: the few we compare against.

/// The end of the file (or of the decoder's output once drained).
static inline int callaudio_averror_eof(void) { return AVERROR_EOF; }
/// The decoder wants another packet before it gives a frame.
static inline int callaudio_averror_again(void) { return AVERROR(EAGAIN); }
/// An allocation failed, or was larger than av_max_alloc allows.
static inline int callaudio_averror_out_of_memory(void) { return AVERROR(ENOMEM); }
/// av_find_best_stream found no stream of the kind asked for.
static inline int callaudio_averror_stream_not_found(void) { return AVERROR_STREAM_NOT_FOUND; }

#include <opus/opus.h>

// opus_decoder_ctl is variadic, which Swift cannot call: the few requests we need, as plain functions.

/// The duration, in samples per channel at the decoder's rate, of the last packet decoded or concealed.
static inline int copus_last_packet_duration(OpusDecoder *decoder) {
    opus_int32 samples = 0;
    return opus_decoder_ctl(decoder, OPUS_GET_LAST_PACKET_DURATION(&samples)) == OPUS_OK ? (int)samples : -1;
}

/// Forgets the decoder's history, as after a discontinuity (a new stream, a seek).
static inline int copus_reset(OpusDecoder *decoder) {
    return opus_decoder_ctl(decoder, OPUS_RESET_STATE);
}

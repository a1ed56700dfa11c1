#ifndef CAUDIOPROCESSING_H
#define CAUDIOPROCESSING_H

// A plain C API over webrtc-audio-processing 0.3's C++ `webrtc::AudioProcessing`, whose pure virtual
// interfaces Swift cannot call. One handle processes one mono stream in 10 ms frames of Float32 samples
// in -1...1: noise suppression, high-pass filter, echo cancellation against a far-end reference, and
// voice activity detection.

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ca_apm ca_apm;

/// Noise suppression strength; `CA_NS_OFF` disables the suppressor.
typedef enum {
  CA_NS_OFF = -1,
  CA_NS_LOW = 0,
  CA_NS_MODERATE = 1,
  CA_NS_HIGH = 2,
  CA_NS_VERY_HIGH = 3
} ca_ns_level;

/// What one handle does to its stream.
typedef struct {
  int sample_rate;        ///< 8000, 16000, 32000 or 48000 Hz.
  ca_ns_level noise_suppression;
  int high_pass_filter;   ///< Nonzero removes DC and rumble below ~80 Hz.
  int echo_cancellation;  ///< Nonzero runs the AEC against frames given to `ca_apm_analyze_far_end`.
  int voice_detection;    ///< Nonzero makes `ca_apm_has_voice` meaningful.
} ca_apm_config;

/// Creates a processor, or returns NULL when the library rejects the configuration.
ca_apm *ca_apm_create(ca_apm_config config);
void ca_apm_destroy(ca_apm *apm);

/// Samples in one 10 ms frame at the configured rate.
int ca_apm_frame_length(const ca_apm *apm);

/// Hands one 10 ms far-end (reference) frame to the echo canceller. Returns the library's error code (0 = ok).
int ca_apm_analyze_far_end(ca_apm *apm, const float *frame);

/// Processes one 10 ms near-end frame in place. Returns the library's error code (0 = ok).
int ca_apm_process(ca_apm *apm, float *frame);

/// Whether the VAD judged the last processed frame to hold speech.
int ca_apm_has_voice(const ca_apm *apm);

#ifdef __cplusplus
}
#endif

#endif

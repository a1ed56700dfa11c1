#include "CAudioProcessing.h"

#include <mutex>
#include <shared_mutex>

#include <webrtc/modules/audio_processing/include/audio_processing.h>

// webrtc 0.3's echo canceller recomputes process-wide FFT tables in place each time one is initialised, so
// creating a processor must not overlap another echo canceller's work on a frame (seen as output differing
// by up to 1e-4 between runs when two calls ran at once). Creations take this lock exclusively; echo
// cancellers take it shared per frame, which costs an uncontended atomic operation every 10 ms.
static std::shared_mutex shared_tables;

struct ca_apm {
  webrtc::AudioProcessing *processing;
  webrtc::StreamConfig stream;
  bool echo_cancellation;
};

extern "C" ca_apm *ca_apm_create(ca_apm_config config) {
  std::unique_lock<std::shared_mutex> creating(shared_tables);
  webrtc::Config extra;
  // The echo path of a speakerphone is unknown and may be long: let the AEC find the delay itself and use
  // its longer filter.
  extra.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(config.echo_cancellation != 0));
  extra.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(config.echo_cancellation != 0));
  webrtc::AudioProcessing *processing = webrtc::AudioProcessing::Create(extra);
  if (processing == nullptr) return nullptr;

  webrtc::StreamConfig stream(config.sample_rate, 1);
  webrtc::ProcessingConfig processing_config = {{stream, stream, stream, stream}};
  bool ok = processing->Initialize(processing_config) == webrtc::AudioProcessing::kNoError;
  ok = ok && processing->high_pass_filter()->Enable(config.high_pass_filter != 0) == 0;
  if (config.noise_suppression != CA_NS_OFF) {
    ok = ok && processing->noise_suppression()->set_level(
                   static_cast<webrtc::NoiseSuppression::Level>(config.noise_suppression)) == 0;
    ok = ok && processing->noise_suppression()->Enable(true) == 0;
  }
  if (config.echo_cancellation) {
    ok = ok && processing->echo_cancellation()->set_suppression_level(
                   webrtc::EchoCancellation::kHighSuppression) == 0;
    ok = ok && processing->echo_cancellation()->Enable(true) == 0;
  }
  if (config.voice_detection) {
    ok = ok && processing->voice_detection()->Enable(true) == 0;
  }
  if (!ok) {
    delete processing;
    return nullptr;
  }
  return new ca_apm{processing, stream, config.echo_cancellation != 0};
}

extern "C" void ca_apm_destroy(ca_apm *apm) {
  if (apm == nullptr) return;
  delete apm->processing;
  delete apm;
}

extern "C" int ca_apm_frame_length(const ca_apm *apm) { return static_cast<int>(apm->stream.num_frames()); }

extern "C" int ca_apm_analyze_far_end(ca_apm *apm, const float *frame) {
  std::shared_lock<std::shared_mutex> processing(shared_tables);
  const float *channels[1] = {frame};
  return apm->processing->AnalyzeReverseStream(channels, apm->stream.num_frames(), apm->stream.sample_rate_hz(),
                                               webrtc::AudioProcessing::kMono);
}

extern "C" int ca_apm_process(ca_apm *apm, float *frame) {
  std::shared_lock<std::shared_mutex> processing(shared_tables, std::defer_lock);
  if (apm->echo_cancellation) processing.lock();
  // The reference is time-aligned with the capture; the delay-agnostic AEC finds the acoustic delay itself.
  if (apm->echo_cancellation) apm->processing->set_stream_delay_ms(0);
  float *channels[1] = {frame};
  return apm->processing->ProcessStream(channels, apm->stream, apm->stream, channels);
}

extern "C" int ca_apm_has_voice(const ca_apm *apm) {
  return apm->processing->voice_detection()->stream_has_voice() ? 1 : 0;
}

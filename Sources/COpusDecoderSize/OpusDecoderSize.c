// libsndfile decodes Ogg/Opus with libopus's multistream decoder, which asks opus_decoder_get_size for the size
// of a mono and a stereo decoder on every packet. In libopus 1.3.1 (Debian 12) that size is computed afresh
// each time, through opus_custom_mode_create, which reads the CPU's features with CPUID: on a virtual machine
// every CPUID traps to the hypervisor (about 8 us), and for a 10-minute Opus leg those two calls per packet
// were a quarter of the plain recipe's CPU (benchmarks/RESULTS.md, section 11). The size depends on the channel
// count alone, so this definition of opus_decoder_get_size, which the executable exports and libopus binds to
// (its own calls go through its PLT), asks libopus's function once per channel count and answers from then on
// with what it said.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <opus/opus.h>
#include <stdatomic.h>

#include "COpusDecoderSize.h"

typedef int (*DecoderSize)(int);

int opus_decoder_get_size(int channels) {
    // Index 1 and 2: the sizes libopus gave for mono and stereo (0 until asked). It gives 0 for any other count.
    static _Atomic int sizes[3];
    if (channels != 1 && channels != 2) return 0;
    int size = atomic_load_explicit(&sizes[channels], memory_order_relaxed);
    if (size > 0) return size;
    DecoderSize library = (DecoderSize)dlsym(RTLD_NEXT, "opus_decoder_get_size");
    if (library == NULL) return 0;
    size = library(channels);
    atomic_store_explicit(&sizes[channels], size, memory_order_relaxed);
    return size;
}

void callaudio_opus_decoder_size_linked(void) {}

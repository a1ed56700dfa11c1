#pragma once
/// Nothing to call: linking this target makes libopus size its decoders without asking the CPU each time
/// (see OpusDecoderSize.c).
void callaudio_opus_decoder_size_linked(void);

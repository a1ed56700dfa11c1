#pragma once
/// Nothing to call: linking this target makes every MP3 decoder libsndfile opens quiet (see QuietMPG123.c).
void callaudio_quiet_mpg123_linked(void);

"""faster-whisper called directly on the legs of a recording, with the bundled server's settings (int8, beam 1,
VAD filter, no conditioning on previous text), for benchmarks/real-speech-benchmark.sh.

Usage: python direct.py [--words] MODEL_DIR LEG OUT_TEXT [LEG OUT_TEXT ...]
--words asks for word times too, as callaudio asks the server for them (an alignment pass after decoding).
Writes each leg's text to its OUT_TEXT; prints the seconds taken for all legs (the model load is not timed), the
median of $REPEAT runs (default 1).
"""
import os
import statistics
import sys
import time

from faster_whisper import WhisperModel, decode_audio

arguments = sys.argv[1:]
words = arguments[0] == "--words"
if words:
    arguments = arguments[1:]
model = WhisperModel(arguments[0], device="cpu", compute_type="int8", cpu_threads=2)
taken = []
for _ in range(int(os.environ.get("REPEAT", "1"))):
    started = time.monotonic()
    for leg, out in zip(arguments[1::2], arguments[2::2]):
        found, _ = model.transcribe(decode_audio(leg, sampling_rate=16000), language="en", beam_size=1,
                                    temperature=0, vad_filter=True, condition_on_previous_text=False,
                                    word_timestamps=words)
        with open(out, "w") as text:
            text.write("\n".join(segment.text.strip() for segment in found) + "\n")
    taken.append(time.monotonic() - started)
print(f"{statistics.median(taken):.2f}")

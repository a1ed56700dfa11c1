"""faster-whisper called directly on the legs of a recording, with the bundled server's settings (int8, beam 1,
VAD filter, no conditioning on previous text), for benchmarks/real-speech-benchmark.sh.

Usage: python direct.py MODEL_DIR LEG OUT_TEXT [LEG OUT_TEXT ...]
Writes each leg's text to its OUT_TEXT; prints the seconds taken for all legs (the model load is not timed).
"""
import sys
import time

from faster_whisper import WhisperModel, decode_audio

model = WhisperModel(sys.argv[1], device="cpu", compute_type="int8", cpu_threads=2)
started = time.monotonic()
for leg, out in zip(sys.argv[2::2], sys.argv[3::2]):
    found, _ = model.transcribe(decode_audio(leg, sampling_rate=16000), language="en", beam_size=1, temperature=0,
                                vad_filter=True, condition_on_previous_text=False)
    with open(out, "w") as text:
        text.write("\n".join(segment.text.strip() for segment in found) + "\n")
print(f"{time.monotonic() - started:.2f}")

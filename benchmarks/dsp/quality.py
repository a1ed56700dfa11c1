#!/usr/bin/env python3
"""Noise-suppression quality: PESQ (wideband at 16 kHz, narrowband at 8 kHz) and STOI of the noisy input, ffmpeg
afftdn, sox noisered (with a noise profile) and callaudio (webrtc at each level, DeepFilterNet3 at two limits),
on clean/noisy speech pairs at 0, 5 and 10 dB SNR in white, pink and babble-like noise.

Clean speech: 10 sentences spoken by espeak-ng in different voices, at 16 kHz, with 0.5 s of lead-in (where
sox takes its noise profile) and 0.3 s of tail. Noise is seeded, so every run measures the same pairs.

  python=$(scripts/python-env.sh dsp-quality)/bin/python   (pinned pesq, pystoi, numpy, scipy)
  scripts/install-deepfilter.sh                              (for the deep rows)
  QUALITY_RATE=8000 QUALITY_SENTENCES=10 $python benchmarks/dsp/quality.py [path/to/callaudio] [work folder]
  (QUALITY_MIX_RATE: callaudio's output rate when not QUALITY_RATE; QUALITY_METHODS=noisy,callaudio-moderate,...)
"""
import os
import statistics
import subprocess
import sys

import numpy as np
from pesq import pesq
from pystoi import stoi
from scipy.io import wavfile

RATE = int(os.environ.get("QUALITY_RATE", "16000"))
PESQ_MODE = "nb" if RATE == 8_000 else "wb"
SENTENCE_COUNT = int(os.environ.get("QUALITY_SENTENCES", "10"))
# callaudio's output rate (its mix rate), when not RATE: the output is resampled back to RATE (sox) to score.
MIX_RATE = int(os.environ.get("QUALITY_MIX_RATE", str(RATE)))
# Which methods to run, comma-separated (all when unset).
ONLY = os.environ.get("QUALITY_METHODS")
CALLAUDIO = sys.argv[1] if len(sys.argv) > 1 else ".build/release/callaudio"
WORK = sys.argv[2] if len(sys.argv) > 2 else "/tmp/callaudio-quality"
SENTENCES = [
    ("en-us", "Thank you for calling, my name is Anna, how can I help you today?"),
    ("en-gb", "I would like to change the delivery address on my last order, please."),
    ("en-us+f3", "Your account shows two payments in March and one refund in April."),
    ("en-gb-x-rp", "Could you read me the reference number printed at the top of the letter?"),
    ("en-us+m3", "The technician will arrive between nine and eleven on Thursday morning."),
    ("en-gb-scotland", "I have been waiting for almost forty minutes and nobody has called me back."),
    ("en-us+f2", "Please hold the line while I transfer you to the billing department."),
    ("en-029", "The connection keeps dropping every evening after about seven o'clock."),
    ("en-us+m5", "We can offer you a replacement device free of charge within five working days."),
    ("en-gb+f4", "Is there anything else I can help you with before we end the call?"),
]
BABBLE_TEXTS = [
    "The meeting was moved to the second floor conference room near the kitchen.",
    "Did anybody see the report that came in from the regional office yesterday?",
    "We should order more paper for the printer before the end of the week.",
    "My daughter starts school next month and she is really excited about it.",
    "The weather has been awful lately, it rained every single day this week.",
    "Let me check the calendar and get back to you about the schedule.",
]
BABBLE_VOICES = ["en-us+m2", "en-gb+f1", "en-us+f4", "en-gb+m4", "en-029+f2", "en-us+m6"]


def run(*command):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read(path):
    rate, data = wavfile.read(path)
    assert rate == RATE, f"{path} is {rate} Hz"
    if data.dtype == np.int16:
        data = data.astype(np.float64) / 32768
    return data.astype(np.float64)


def write(path, samples):
    wavfile.write(path, RATE, (np.clip(samples, -1, 1) * 32767).astype(np.int16))


def speak(voice, text, path, pad=(0.0, 0.0)):
    raw = path + ".raw.wav"
    run("espeak-ng", "-v", voice, "-w", raw, text)
    run("sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", path, "pad", str(pad[0]), str(pad[1]), "norm", "-3")
    os.remove(raw)


def noise(kind, count, seed):
    rng = np.random.default_rng(seed)
    if kind == "white":
        return rng.standard_normal(count)
    if kind == "pink":
        spectrum = np.fft.rfft(rng.standard_normal(count))
        frequencies = np.fft.rfftfreq(count, 1 / RATE)
        spectrum[1:] /= np.sqrt(frequencies[1:])
        spectrum[0] = 0
        return np.fft.irfft(spectrum, count)
    # Babble-like: six other talkers at once, each started at a different point of its loop.
    total = np.zeros(count)
    for index, talker in enumerate(BABBLE):
        looped = np.tile(talker, count // len(talker) + 2)
        start = rng.integers(0, len(talker))
        total += looped[start:start + count]
    return total


def mix(clean, kind, snr, seed):
    n = noise(kind, len(clean), seed)
    gain = np.sqrt(np.mean(clean**2) / (np.mean(n**2) * 10 ** (snr / 10)))
    return clean + gain * n


def aligned(degraded, reference):
    """`degraded` shifted to undo any delay the method adds (afftdn delays by 25 ms), cut to the reference's
    length: STOI, unlike PESQ, does not align its inputs itself."""
    n = min(len(degraded), len(reference))
    correlation = np.fft.irfft(np.fft.rfft(degraded[:n], 2 * n) * np.conj(np.fft.rfft(reference[:n], 2 * n)))
    window = RATE // 10  # up to 100 ms either way
    lags = np.concatenate([np.arange(0, window), np.arange(-window, 0)])
    values = np.concatenate([correlation[:window], correlation[-window:]])
    lag = int(lags[np.argmax(values)])
    shifted = degraded[lag:] if lag >= 0 else np.concatenate([np.zeros(-lag), degraded])
    shifted = shifted[: len(reference)]
    return np.pad(shifted, (0, len(reference) - len(shifted)))


def denoise(method, noisy_path, out_path):
    if method == "afftdn":
        run("ffmpeg", "-y", "-loglevel", "error", "-i", noisy_path, "-af", "afftdn", out_path)
    elif method == "afftdn-tracking":
        # afftdn's defaults assume a -50 dB noise floor; this lets it track the real one.
        run("ffmpeg", "-y", "-loglevel", "error", "-i", noisy_path, "-af", "afftdn=nf=-20:tn=1", out_path)
    elif method == "noisered":
        profile = out_path + ".prof"
        run("sox", noisy_path, "-n", "trim", "0", "0.5", "noiseprof", profile)
        run("sox", noisy_path, out_path, "noisered", profile, "0.21")
        os.remove(profile)
    elif method.startswith("callaudio"):
        # callaudio-LEVEL, or callaudio-deep-LIMIT
        level, *limit = method.split("-")[1:]
        folder = out_path + ".d"
        run(CALLAUDIO, "process", noisy_path, "--output", folder, "--format", "wav", "--loudness", "off",
            "--sample-rate", str(MIX_RATE), "--denoise", level, *(["--denoise-limit", limit[0]] if limit else []))
        run("sox", os.path.join(folder, "call.wav"), "-r", str(RATE), out_path)
    else:
        raise ValueError(method)


def main():
    os.makedirs(WORK, exist_ok=True)
    global BABBLE
    BABBLE = []
    for index, (voice, text) in enumerate(zip(BABBLE_VOICES, BABBLE_TEXTS)):
        path = f"{WORK}/babble{index}.wav"
        speak(voice, text, path)
        BABBLE.append(read(path))
    cleans = []
    for index, (voice, text) in enumerate(SENTENCES[:SENTENCE_COUNT]):
        path = f"{WORK}/clean{index}.wav"
        speak(voice, text, path, pad=(0.5, 0.3))
        cleans.append(read(path))

    methods = ["noisy", "afftdn", "afftdn-tracking", "noisered", "callaudio-low", "callaudio-moderate",
               "callaudio-high", "callaudio-veryhigh", "callaudio-deep-30", "callaudio-deep-100"]
    methods = [m for m in methods if ONLY is None or m in ONLY.split(",")]
    scores = {}  # (method, snr) -> list of (pesq, stoi)
    for index, clean in enumerate(cleans):
        for kind_index, kind in enumerate(["white", "pink", "babble"]):
            for snr in [0, 5, 10]:
                noisy = mix(clean, kind, snr, seed=1000 * index + 10 * kind_index + snr)
                # Leave headroom so no method clips.
                scale = 0.5 / max(1e-9, np.max(np.abs(noisy)))
                noisy_path = f"{WORK}/noisy{index}-{kind}-{snr}.wav"
                write(noisy_path, noisy * scale)
                reference = clean * scale
                for method in methods:
                    if method == "noisy":
                        degraded = read(noisy_path)
                    else:
                        out = f"{WORK}/{method}{index}-{kind}-{snr}.wav"
                        denoise(method, noisy_path, out)
                        degraded = read(out)
                    degraded = aligned(degraded, reference)
                    p = pesq(RATE, reference, degraded, PESQ_MODE)
                    s = stoi(reference, degraded, RATE, extended=False)
                    scores.setdefault((method, snr), []).append((p, s))
                    scores.setdefault((method, kind, snr), []).append((p, s))
        print(f"sentence {index + 1}/{len(cleans)} done", file=sys.stderr)

    def mean(key, which):
        return statistics.mean(value[which] for value in scores[key])

    print(f"{len(cleans)} sentences x 3 noises (white, pink, babble) per SNR at {RATE} Hz (callaudio mixing at "
          f"{MIX_RATE} Hz); means over all {3 * len(cleans)} pairs per cell.")
    print("Each output is aligned to the clean reference (cross-correlation, within 100 ms) before scoring.\n")
    name = f"PESQ-{PESQ_MODE.upper()}"
    print(f"| method | {name} 0 dB | {name} 5 dB | {name} 10 dB | STOI 0 dB | STOI 5 dB | STOI 10 dB |")
    print("|---|---|---|---|---|---|---|")
    for method in methods:
        pesqs = " | ".join(f"{mean((method, snr), 0):.2f}" for snr in [0, 5, 10])
        stois = " | ".join(f"{mean((method, snr), 1):.3f}" for snr in [0, 5, 10])
        print(f"| {method} | {pesqs} | {stois} |")
    print("\nPESQ gain over the noisy input (mean), and STOI change:\n")
    print("| method | gain 0 dB | gain 5 dB | gain 10 dB | STOI change 0 / 5 / 10 dB |")
    print("|---|---|---|---|---|")
    for method in methods[1:]:
        gains = " | ".join(f"{mean((method, snr), 0) - mean(('noisy', snr), 0):+.2f}" for snr in [0, 5, 10])
        changes = " / ".join(f"{mean((method, snr), 1) - mean(('noisy', snr), 1):+.3f}" for snr in [0, 5, 10])
        print(f"| {method} | {gains} | {changes} |")
    print(f"\nPer noise type ({name} / STOI):\n")
    print("| method | " + " | ".join(f"{k} {s} dB" for k in ["white", "pink", "babble"] for s in [0, 5, 10]) + " |")
    print("|---|" + "---|" * 9)
    for method in methods:
        cells = " | ".join(
            f"{mean((method, k, s), 0):.2f} / {mean((method, k, s), 1):.2f}" for k in ["white", "pink", "babble"]
            for s in [0, 5, 10])
        print(f"| {method} | {cells} |")


if __name__ == "__main__":
    main()

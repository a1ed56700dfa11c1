#!/usr/bin/env python3
"""Speed of the full call recipe: two 8 kHz legs, noise suppression, loudness, mix, MP3, plus 1.5x and 2x
copies, by callaudio (both cores, and pinned to one core) and by ffmpeg doing the same work in one command,
in the same run, interleaved, median of 3.

  benchmarks/dsp/speed.py [path/to/callaudio] [minutes] [work folder]
"""
import os
import resource
import statistics
import subprocess
import sys
import time

CALLAUDIO = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/callaudio")
MINUTES = int(sys.argv[2]) if len(sys.argv) > 2 else 10
WORK = sys.argv[3] if len(sys.argv) > 3 else "/tmp/callaudio-speed"
REPEATS = 3


def run(command):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_leg(name, voice, lines, lead_silence, noise_volume):
    """A minute of one talker taking turns (sentences with gaps), repeated to MINUTES, with line noise."""
    parts = []
    for index, text in enumerate(lines):
        part = f"{WORK}/{name}-{index}.wav"
        run(["espeak-ng", "-v", voice, "-w", part + ".raw.wav", text])
        run(["sox", part + ".raw.wav", "-r", "8000", "-c", "1", "-b", "16", part, "pad", "0", "2.5"])
        parts.append(part)
    minute = f"{WORK}/{name}-minute.wav"
    run(["sox", *parts, f"{WORK}/{name}-turns.wav", "pad", str(lead_silence), "0"])
    run(["sox", f"{WORK}/{name}-turns.wav", minute, "trim", "0", "60", "pad", "0", "60", "trim", "0", "60"])
    clean = f"{WORK}/{name}-clean.wav"
    run(["sox", minute, clean, "repeat", str(MINUTES - 1)])
    leg = f"{WORK}/{name}.wav"
    subprocess.run(
        f"sox {clean} -p synth whitenoise vol {noise_volume} | sox -m {clean} - -b 16 {leg}", shell=True, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return leg


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command):
    """Wall-clock and CPU seconds (user + system) of one run."""
    cpu = cpu_seconds()
    start = time.perf_counter()
    run(command)
    return time.perf_counter() - start, cpu_seconds() - cpu


def main():
    os.makedirs(WORK, exist_ok=True)
    a = make_leg("caller", "en-us", [
        "Hello, I am calling about the bill I received this morning.",
        "It shows a charge for a service I never ordered.",
        "Yes, the account number is four five seven one one.",
    ], 0, 0.01)
    b = make_leg("agent", "en-gb", [
        "Thank you for calling, let me pull up your account.",
        "I can see the charge, it was added on the third.",
        "I have removed it, you will see the credit next month.",
    ], 4, 0.003)
    seconds = MINUTES * 60.0
    out = f"{WORK}/out"
    commands = {
        "callaudio (2 legs in parallel)": [CALLAUDIO, "process", a, b, "--output", f"{out}/ca", "--speeds", "1.5,2"],
        "callaudio pinned to 1 core": ["taskset", "-c", "0", CALLAUDIO, "process", a, b, "--output", f"{out}/ca1",
                                       "--speeds", "1.5,2"],
        "callaudio --loudness off (no measuring pass)": [CALLAUDIO, "process", a, b, "--output", f"{out}/cal",
                                                         "--speeds", "1.5,2", "--loudness", "off"],
        "callaudio plain mix (--denoise off --no-high-pass --loudness off)": [
            CALLAUDIO, "process", a, b, "--output", f"{out}/cap", "--speeds", "1.5,2", "--denoise", "off",
            "--no-high-pass", "--loudness", "off"],
        "ffmpeg, same work, one command": [
            "ffmpeg", "-y", "-loglevel", "error", "-i", a, "-i", b, "-filter_complex",
            "[0:a]aresample=16000,afftdn,loudnorm=I=-19:TP=-1,aresample=16000[a];"
            "[1:a]aresample=16000,afftdn,loudnorm=I=-19:TP=-1,aresample=16000[b];"
            "[a][b]amix=inputs=2:normalize=0,alimiter=limit=0.89,asplit=3[m][m1][m2];"
            "[m1]atempo=1.5[f1];[m2]atempo=2[f2]",
            "-map", "[m]", "-c:a", "libmp3lame", "-b:a", "32k", f"{out}/ff-call.mp3",
            "-map", "[f1]", "-c:a", "libmp3lame", "-b:a", "32k", f"{out}/ff-call-1.5x.mp3",
            "-map", "[f2]", "-c:a", "libmp3lame", "-b:a", "32k", f"{out}/ff-call-2x.mp3"],
    }
    os.makedirs(out, exist_ok=True)
    times = {name: [] for name in commands}
    cpus = {name: [] for name in commands}
    for _ in range(REPEATS):
        for name, command in commands.items():
            wall, cpu = timed(command)
            times[name].append(wall)
            cpus[name].append(cpu)
    ffmpeg = statistics.median(times["ffmpeg, same work, one command"])
    print(f"Two {MINUTES}-minute 8 kHz legs ({seconds:.0f} s of call), outputs call.mp3 + 1.5x + 2x at 16 kHz, "
          f"32 kbit/s; median of {REPEATS} interleaved runs, wall clock.\n")
    print("| run | seconds | x realtime | vs ffmpeg | CPU seconds | cores busy |")
    print("|---|---|---|---|---|---|")
    for name in commands:
        median = statistics.median(times[name])
        cpu = statistics.median(cpus[name])
        print(f"| {name} | {median:.2f} | {seconds / median:.0f}x | {ffmpeg / median:.2f}x | {cpu:.2f} | "
              f"{cpu / median:.2f} |")
    print(f"\nLoad average while measuring: {os.getloadavg()[0]:.2f} (2 cores)")
    both = statistics.median(times["callaudio (2 legs in parallel)"])
    one = statistics.median(times["callaudio pinned to 1 core"])
    print(f"\nSpeedup from processing the legs in parallel (1 core vs 2 cores): {one / both:.2f}x")


if __name__ == "__main__":
    main()

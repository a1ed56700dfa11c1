"""Time per token of Moonshine's merged decoder, and where it goes, for each decoder file given.

Runs the encoder on 4 s of low noise, then 20 greedy decoder steps with the key-value cache (as MoonshineModel
does), on 2 threads, with ONNX Runtime's profiler on; prints the mean time per step and the nodes that take the
most of it. Run with the install script's environment: .venv/moonshine-install/bin/python (onnxruntime 1.22.1).

Usage: decoder-steps.py ENCODER DECODER...
"""

import collections
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnxruntime

STEPS = 20


def profile(encoder: str, decoder: str) -> None:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    hidden = onnxruntime.InferenceSession(encoder, options).run(
        None, {"input_values": np.random.default_rng(26).normal(0, 0.05, (1, 64000)).astype(np.float32)})[0]
    options.enable_profiling = True
    options.profile_file_prefix = os.path.join(tempfile.gettempdir(), "decoder-steps")
    session = onnxruntime.InferenceSession(decoder, options)
    past = {i.name: np.zeros([d if isinstance(d, int) else 1 for d in i.shape], np.float32)
            for i in session.get_inputs() if i.name.startswith("past_key_values.")}
    outputs = [o.name for o in session.get_outputs()]
    token, started = 1, time.perf_counter()
    for step in range(STEPS):
        feed = {"input_ids": np.array([[token]], np.int64), "encoder_hidden_states": hidden,
                "use_cache_branch": np.array([step > 0]), **past}
        results = session.run(None, feed)
        for name, value in zip(outputs[1:], results[1:]):
            cached = "past_key_values." + name.removeprefix("present.")
            if step == 0 or ".decoder." in cached:
                past[cached] = value
        token = int(results[0][0, -1].argmax())
    print(f"{decoder}: {(time.perf_counter() - started) / STEPS * 1000:.1f} ms per token")
    nodes = collections.Counter()
    profile_file = session.end_profiling()
    with open(profile_file) as events:
        events = json.load(events)
    os.remove(profile_file)
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            nodes[f'{event["args"].get("op_name")} {event["name"].removesuffix("_kernel_time")}'] += event["dur"]
    total = sum(nodes.values())
    for node, microseconds in nodes.most_common(6):
        print(f"  {microseconds / total:5.1%}  {microseconds / STEPS / 1000:5.2f} ms per token  {node}")


if __name__ == "__main__":
    for decoder in sys.argv[2:]:
        profile(sys.argv[1], decoder)

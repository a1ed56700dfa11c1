#!/usr/bin/env python3
"""The ingest table of benchmarks/service-benchmark.sh: LOAD.json (from service_load.py), the seconds the same calls
took through `callaudio process`, CALLS, WORKERS and the serve process's peak memory in KiB."""
import json
import sys

load = json.load(open(sys.argv[1]))
cli, calls, workers, peak_kb = float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
latencies = sorted(load["ready"][r] - load["answered"][r] for r in load["ready"])
assert len(latencies) == calls, f"{len(latencies)} of {calls} calls became ready"


def pct(p):
    return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]


service = max(load["ready"].values())
print()
print(f"Ingest: {calls} two-leg calls POSTed at once, {workers} workers in the serve process")
print()
print("| | seconds |")
print("|---|---|")
print(f"| all {calls} POSTs answered 202 | {max(load['answered'].values()):.1f} |")
print(f"| answer to ready, p50 | {pct(50):.1f} |")
print(f"| answer to ready, p95 | {pct(95):.1f} |")
print(f"| answer to ready, max | {latencies[-1]:.1f} |")
print(f"| first POST to last ready (service) | {service:.1f} |")
print(f"| the same calls by `callaudio process`, {workers} at a time | {cli:.1f} |")
print(f"| service / direct | {service / cli:.2f} |")
print()
print(f"serve process peak memory (VmHWM) over the whole run: {peak_kb / 1024:.0f} MB")

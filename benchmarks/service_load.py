#!/usr/bin/env python3
"""Ingest load for benchmarks/service-benchmark.sh: CALLS two-leg calls POSTed at once (one thread each), then
one keep-alive connection asks GET /v1/recordings/{id} of every pending call every 0.25 s. Prints, as JSON, the
time each POST was answered and the time its recording was first seen ready (seconds since the first POST)."""
import http.client
import json
import sys
import threading
import time
import uuid

host, port, key, calls, caller, agent = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
legs = [("leg1", caller, open(caller, "rb").read()), ("leg2", agent, open(agent, "rb").read())]


def form(call_id):
    boundary = uuid.uuid4().hex
    parts = []
    for name, path, data in legs:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{path.rsplit("/", 1)[-1]}"\r\n\r\n'.encode() + data + b"\r\n")
    for name, value in [("offsets", "2=2.0"), ("roles", "caller,agent"), ("denoise", "moderate"), ("call_id", call_id)]:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    return boundary, b"".join(parts) + f"--{boundary}--\r\n".encode()


start = time.monotonic()
answered = {}


def submit(index):
    boundary, body = form(f"load-{index}")
    connection = http.client.HTTPConnection(host, port, timeout=600)
    connection.request("POST", "/v1/calls", body, {"Authorization": f"Bearer {key}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
    response = connection.getresponse()
    assert response.status == 202, (response.status, response.read())
    answered[json.load(response)["id"]] = time.monotonic() - start


threads = [threading.Thread(target=submit, args=(index,)) for index in range(calls)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert len(answered) == calls, f"{len(answered)} of {calls} POSTs answered"

ready = {}
connection = http.client.HTTPConnection(host, port, timeout=60)
while len(ready) < calls:
    for recording in [r for r in answered if r not in ready]:
        connection.request("GET", f"/v1/recordings/{recording}", headers={"Authorization": f"Bearer {key}"})
        status = json.load(connection.getresponse())["status"]
        assert status != "failed", f"recording {recording} failed"
        if status == "ready":
            ready[recording] = time.monotonic() - start
    time.sleep(0.25)
print(json.dumps({"answered": answered, "ready": ready}))

"""SeaweedFS for tests: `weed mini` on loopback, on free ports, in a temporary folder, until stdin closes.

It starts master, volume, filer, S3 and admin in one process (WebDAV off), each on ports picked free here,
bound to 127.0.0.1 only, with the credentials given and one bucket created, and waits until S3 answers and the
bucket exists. Then it prints the S3 port as the first line of standard output (the contract of AudioTesting's
`ScriptedServer`), and serves until its standard input closes or it gets SIGTERM/SIGINT: then it stops weed
and removes the data folder. weed's own output goes to a log in that folder and is copied to standard error
if weed fails to start.

Usage: python serve.py [--bucket recordings] [--access-key KEY] [--secret-key SECRET] [--timeout 60]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

# Each server's HTTP port; its gRPC port is the HTTP port + 10000, as weed's own default: weed mini's plugin
# worker dials the admin server at admin.port + 10000 whatever -admin.port.grpc says, so every pair is picked so.
SERVERS = ["s3", "master", "volume", "filer", "admin"]
GRPC_OFFSET = 10000


def free_port_pairs(count):
    """`count` loopback ports p, each with p + GRPC_OFFSET free too (all held open together, so none repeats)."""
    held = []
    pairs = []
    try:
        while len(pairs) < count:
            first = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            first.bind(("127.0.0.1", 0))
            held.append(first)
            port = first.getsockname()[1]
            if port + GRPC_OFFSET > 65535:
                continue
            second = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                second.bind(("127.0.0.1", port + GRPC_OFFSET))
            except OSError:
                second.close()
                continue
            held.append(second)
            pairs.append(port)
        return pairs
    finally:
        for socket_ in held:
            socket_.close()


def answers(url):
    """The HTTP status of GET `url`, or None when nothing answers there yet."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bucket", default="recordings")
    parser.add_argument("--access-key", default="callaudio-test")
    parser.add_argument("--secret-key", default="callaudio-test-secret")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for S3 and the bucket")
    arguments = parser.parse_args()

    if not 3 <= len(arguments.bucket) <= 63:
        parser.error("a bucket name has 3 to 63 characters (weed creates no shorter one, and would never be ready)")
    weed = os.path.join(os.path.dirname(sys.executable), "weed")
    folder = tempfile.mkdtemp(prefix="callaudio-seaweedfs-")
    process = None

    def stop(*_):
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(folder, ignore_errors=True)

    def on_signal(number, _frame):
        stop()
        sys.exit(128 + number)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        config = os.path.join(folder, "s3.json")
        with open(config, "w") as file:
            json.dump({"identities": [{
                "name": "callaudio",
                "credentials": [{"accessKey": arguments.access_key, "secretKey": arguments.secret_key}],
                "actions": ["Admin", "Read", "List", "Tagging", "Write"],
            }]}, file)
        ports = {}
        for server, port in zip(SERVERS + ["webdav"], free_port_pairs(len(SERVERS) + 1)):
            ports[f"{server}.port"] = port
            if server != "webdav":
                ports[f"{server}.port.grpc"] = port + GRPC_OFFSET
        data = os.path.join(folder, "data")
        os.mkdir(data)
        command = [
            weed, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-s3.config={config}",
            f"-bucket={arguments.bucket}", "-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false",
            "-master.telemetry=false",
            f"-filer.localSocket={os.path.join(folder, 'filer.sock')}",
            f"-s3.localSocket={os.path.join(folder, 's3.sock')}",
            f"-webdav.cacheDir={folder}",
        ] + [f"-{name}={port}" for name, port in ports.items()]
        log = open(os.path.join(folder, "weed.log"), "wb")
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   cwd=folder)
        s3 = f"http://127.0.0.1:{ports['s3.port']}/"
        bucket = f"http://127.0.0.1:{ports['filer.port']}/buckets/{arguments.bucket}/"
        deadline = time.monotonic() + arguments.timeout
        while not (answers(s3) is not None and answers(bucket) == 200):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                with open(os.path.join(folder, "weed.log"), "rb") as written:
                    sys.stderr.buffer.write(written.read()[-4000:])
                print("serve.py: SeaweedFS did not start", file=sys.stderr)
                return 1
            time.sleep(0.1)
        print(ports["s3.port"], flush=True)
        while sys.stdin.buffer.read(65536):
            pass
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())

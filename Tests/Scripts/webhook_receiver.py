#!/usr/bin/python3
"""A webhook receiver for the service's tests (stdlib only), checking signatures on its own, per
standardwebhooks.com: base64 HMAC-SHA256 under the secret of `webhook-id.webhook-timestamp.body`.

Usage: webhook_receiver.py FOLDER SECRET (SECRET as `whsec_` and base64). Answers by path:
  /ok      204
  /flaky   500 to the first delivery of each webhook-id, then 204
  /gone    410
Appends every request to FOLDER/requests.jsonl: path, webhook-id, webhook-timestamp, whether the signature
verified, and the body parsed as JSON. Prints the port once listening, then serves until stdin closes."""
import base64
import collections
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading

folder, secret = sys.argv[1], sys.argv[2]
key = base64.b64decode(secret.removeprefix("whsec_"))
seen = collections.Counter()
lock = threading.Lock()


def verified(headers, body):
    signed = f"{headers.get('webhook-id')}.{headers.get('webhook-timestamp')}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [s.split(",", 1)[1] for s in (headers.get("webhook-signature") or "").split() if s.startswith("v1,")]
    return any(hmac.compare_digest(expected, s) for s in offered)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        message_id = self.headers.get("webhook-id")
        with lock:
            seen[(self.path, message_id)] += 1
            first = seen[(self.path, message_id)] == 1
            with open(os.path.join(folder, "requests.jsonl"), "a") as log:
                log.write(json.dumps({
                    "path": self.path, "id": message_id, "timestamp": self.headers.get("webhook-timestamp"),
                    "verified": verified(self.headers, body), "content_type": self.headers.get("Content-Type"),
                    "body": json.loads(body or b"null"),
                }) + "\n")
        status = {"/ok": 204, "/gone": 410, "/flaky": 500 if first else 204}.get(self.path, 404)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()

#!/usr/bin/python3
"""Parses an RFC 5322 message with Python's standard `email` package (an independent parser) and prints
what the tests check as JSON: decoded headers, the MIME tree, both bodies, the attachment, the line shape."""
import base64
import email
import email.policy
import json
import sys

raw = open(sys.argv[1], "rb").read() if len(sys.argv) > 1 else sys.stdin.buffer.read()
message = email.message_from_bytes(raw, policy=email.policy.default)
lines = raw.split(b"\r\n")
result = {
    "headers": [[name, str(value)] for name, value in message.items()],
    "defects": [str(d) for d in message.defects] + [str(d) for part in message.walk() for d in part.defects],
    "tree": [part.get_content_type() for part in message.walk()],
    "bareLineFeeds": raw.replace(b"\r\n", b"").count(b"\n") + raw.replace(b"\r\n", b"").count(b"\r"),
    "longestLine": max(len(line) for line in lines),
    "recipients": [address.addr_spec for field in ("To", "Cc", "Bcc") for address in
                   (message[field].addresses if message[field] is not None else ())],
}
for subtype in ("plain", "html"):
    body = message.get_body(preferencelist=(subtype,))
    # Line breaks as Python strings have them (the decoder leaves CRLF from quoted-printable text as it is).
    content = body.get_content().replace("\r\n", "\n") if body is not None else None
    result["text" if subtype == "plain" else "html"] = content
for part in message.iter_attachments():
    result["attachment"] = {
        "filename": part.get_filename(),
        "contentType": part.get_content_type(),
        "disposition": part.get_content_disposition(),
        "transferEncoding": part.get("Content-Transfer-Encoding"),
        "base64": base64.b64encode(part.get_payload(decode=True)).decode(),
    }
print(json.dumps(result))

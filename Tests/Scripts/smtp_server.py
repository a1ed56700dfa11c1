#!/usr/bin/python3
"""A real SMTP server for the tests: Debian's aiosmtpd on 127.0.0.1 with STARTTLS (the certificate given) and
AUTH (user "vm", password "s3cret"), storing each accepted message as N.eml in the folder given.

Recipients steer it: tempfail@... answers 451 to the first DATA and accepts the next; reject@... answers 550;
drop@... closes the connection in the middle of DATA. With --no-starttls it offers no STARTTLS (and allows AUTH
in clear), to check that a client requiring STARTTLS sends nothing. Prints the port once listening, then
serves until its standard input closes."""
import argparse
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, SMTP

parser = argparse.ArgumentParser()
parser.add_argument("folder")
parser.add_argument("--cert")
parser.add_argument("--key")
parser.add_argument("--no-starttls", action="store_true")
args = parser.parse_args()


class Handler:
    def __init__(self):
        self.count = 0
        self.tempfailed = False

    async def handle_DATA(self, server, session, envelope):
        recipients = " ".join(envelope.rcpt_tos)
        if "reject@" in recipients:
            return "550 5.7.1 Message rejected by policy"
        if "tempfail@" in recipients and not self.tempfailed:
            self.tempfailed = True
            return "451 4.3.0 Try again later"
        if "drop@" in recipients:
            server.transport.close()
            return None
        self.count += 1
        path = os.path.join(args.folder, f"{self.count}.eml")
        with open(path + ".part", "wb") as out:
            out.write(envelope.original_content)
        os.rename(path + ".part", path)
        with open(os.path.join(args.folder, f"{self.count}.rcpt"), "w") as out:
            out.write("\n".join(envelope.rcpt_tos))
        return "250 2.0.0 Stored as " + str(self.count)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"vm" and auth_data.password == b"s3cret"
    # handled=False: aiosmtpd then answers a failed login with its 535 (by default it leaves the reply to us).
    return AuthResult(success=ok, handled=False)


tls = None
if not args.no_starttls:
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
controller = Controller(
    Handler(), hostname="127.0.0.1", port=port, tls_context=tls, require_starttls=tls is not None,
    authenticator=authenticator, auth_require_tls=tls is not None, auth_required=True,
    decode_data=False)
controller.start()
print(port, flush=True)
sys.stdin.read()
controller.stop()

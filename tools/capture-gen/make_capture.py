"""Writes a deterministic packet capture of a SIP call with known audio, for CallCapture's tests.

usage: make_capture.py SPEC.json OUT_DIR

SPEC describes the call (link type, IP version, SIP offer and answer, and per leg: codec, start, length, loss,
reordering, duplicates, DTMF, silence suppression, clock drift, an SSRC change, a timestamp jump; and
`strayUDP`, flows of datagrams that are not RTP but begin as RTP would, like an IPsec or VPN tunnel; and
`sipTransport: "tcp"`, the SIP on one TCP connection, cut into `tcpSegment`-byte segments, one of them sent
twice). OUT_DIR
receives call.pcap (or call.pcapng) and, per leg N, legN.wav: the audio the leg carries, as 8 kHz (16 kHz for
G.722) 16-bit PCM on the capture clock starting at the leg's first packet, with silence where DTMF or suppression replaced the audio.
Everything is computed from SPEC alone, so the same SPEC always gives the same bytes.
"""

import hashlib
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import wave

from scapy.all import (  # noqa: E402  (scapy is heavy; import once)
    IP, IPv6, TCP, UDP, Ether, Dot1Q, CookedLinux, Raw, Loopback, fragment, wrpcap, wrpcapng,
)
from scapy.layers.l2 import CookedLinuxV2

PACKET_SECONDS = 0.020
EPOCH = 1_700_000_000.0


def signal(leg, t):
    """The leg's audio at capture time t (seconds after its start): a tone with a syllable-like envelope."""
    f = leg.get("tone", 440.0)
    return 0.4 * math.sin(2 * math.pi * f * t) * (0.55 + 0.45 * math.sin(2 * math.pi * 3.0 * t))


def linear_to_ulaw(sample):
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 0x84
    exponent = 7
    while exponent > 0 and not magnitude & (0x4000 >> (7 - exponent)):
        exponent -= 1
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def linear_to_alaw(sample):
    sign = 0x80 if sample >= 0 else 0
    magnitude = min(abs(sample), 32767) >> 3
    if magnitude < 32:
        code = magnitude >> 1
    else:
        exponent = magnitude.bit_length() - 5
        code = (exponent << 4) | ((magnitude >> exponent) & 0x0F)
    return (sign | code) ^ 0x55


def encode(codec, pcm16, rate, count):
    """The payloads of `count` 20 ms packets of `pcm16`."""
    if codec == "PCMU":
        return split(bytes(linear_to_ulaw(s) for s in pcm16), count)
    if codec == "PCMA":
        return split(bytes(linear_to_alaw(s) for s in pcm16), count)
    if codec in ("G722", "OPUS"):
        with tempfile.TemporaryDirectory() as folder:
            raw = os.path.join(folder, "in.raw")
            with open(raw, "wb") as f:
                f.write(struct.pack("<%dh" % len(pcm16), *pcm16))
            settings = (["-c:a", "g722", "-f", "g722"] if codec == "G722" else
                        ["-c:a", "libopus", "-b:a", "24k", "-frame_duration", "20", "-application", "voip",
                         "-fec", "1", "-packet_loss", "10", "-f", "ogg"])
            out = subprocess.run(
                ["ffmpeg", "-v", "error", "-bitexact", "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", raw]
                + settings + ["-"], check=True, capture_output=True).stdout
            return split(out, count) if codec == "G722" else ogg_packets(out)[2:2 + count]
    raise SystemExit("make_capture: unknown codec " + codec)


def split(payload, count):
    size = len(payload) // count
    return [payload[i * size:(i + 1) * size] for i in range(count)]


def ogg_packets(data):
    """The packets of an Ogg stream (RFC 3533): pages' segments joined by their lacing values."""
    packets, current, offset = [], b"", 0
    while offset + 27 <= len(data) and data[offset:offset + 4] == b"OggS":
        segments = data[offset + 26]
        lacing = data[offset + 27:offset + 27 + segments]
        offset += 27 + segments
        for size in lacing:
            current += data[offset:offset + size]
            offset += size
            if size < 255:
                packets.append(current)
                current = b""
    return packets


def in_spans(t, spans):
    return any(a <= t < b for a, b in spans)


def leg_packets(leg, index):
    """Yields (capture time, RTP bytes) for one leg, in sending order before reordering."""
    codec = leg.get("codec", "PCMU")
    rate = audio_rate(codec)
    clock = 48000 if codec == "OPUS" else 8000
    ppm = leg.get("clockPPM", 0.0)
    speed = 1 + ppm / 1e6
    seconds = leg["seconds"]
    count = int(round(seconds / PACKET_SECONDS))
    frames_per_packet = int(rate * PACKET_SECONDS)
    silences = [tuple(s) for s in leg.get("silence", [])]
    dtmf = leg.get("dtmf", [])
    dtmf_spans = [(d["at"], d["at"] + d["ms"] / 1000.0) for d in dtmf]
    # The sender samples the audio on its own clock: sample k is heard at capture time k / (rate * speed).
    total = count * frames_per_packet
    pcm = []
    for k in range(total):
        t = k / (rate * speed)
        muted = in_spans(t, silences) or in_spans(t, dtmf_spans)
        pcm.append(0 if muted else int(round(32767 * signal(leg, t))))
    payloads = encode(codec, pcm, rate, count)
    pt = leg.get("pt", {"PCMU": 0, "PCMA": 8, "G722": 9, "OPUS": 111}[codec])
    ssrc = 0x1000 + index
    seq = leg.get("firstSequence", 1000 + 7 * index) & 0xFFFF
    ts0 = 123456 * (index + 1)
    ssrc_change = leg.get("ssrcChangeAt")
    changed = False
    timestamp_jump = leg.get("timestampJumpAt")
    sent_cn = False
    sent_events = set()
    start = leg["start"]
    for i in range(count):
        t = i * PACKET_SECONDS / speed
        ts = ts0 + i * int(clock * PACKET_SECONDS)
        if ssrc_change is not None and not changed and t >= ssrc_change:
            changed = True
            ssrc += 0x100
            seq = (seq + 5000) & 0xFFFF
            ts0 += 987654
            ts = ts0 + i * int(clock * PACKET_SECONDS)
        if timestamp_jump is not None and t >= timestamp_jump:
            ts += 987654  # the same SSRC and sequence numbers: the sender's clock jumped (RFC 3550 allows it)
        arrival = EPOCH + start + t
        event = next((d for d in dtmf if d["at"] <= t < d["at"] + d["ms"] / 1000.0), None)
        if event is not None:
            digit = "0123456789*#ABCD".index(event["digit"])
            event_ts = ts0 + int(round(event["at"] * speed / PACKET_SECONDS)) * int(clock * PACKET_SECONDS)
            duration = ts - event_ts + int(clock * PACKET_SECONDS)
            end_of_event = t + PACKET_SECONDS / speed >= event["at"] + event["ms"] / 1000.0
            repeats = 3 if end_of_event else 1
            for _ in range(repeats):
                body = bytes([digit, (0x80 if end_of_event else 0) | 10]) + struct.pack(">H", duration)
                marker = event["digit"] not in sent_events
                sent_events.add(event["digit"])
                yield arrival, rtp(101, seq, event_ts, ssrc, body, marker)
                seq = (seq + 1) & 0xFFFF
            continue
        if in_spans(t, silences):
            if not sent_cn:
                sent_cn = True
                yield arrival, rtp(13, seq, ts, ssrc, bytes([60]), False)
                seq = (seq + 1) & 0xFFFF
            continue
        sent_cn = False
        body = payloads[i]
        yield arrival, rtp(pt, seq, ts, ssrc, body, False)
        seq = (seq + 1) & 0xFFFF


def rtp(pt, seq, ts, ssrc, payload, marker):
    return struct.pack(">BBHII", 0x80, (0x80 if marker else 0) | pt, seq, ts & 0xFFFFFFFF, ssrc) + payload


def impair(leg, packets):
    """Drops, duplicates and swaps packets by their index in sending order."""
    packets = list(packets)
    lost = set(leg.get("lose", []))
    out = []
    for i, p in enumerate(packets):
        if i in lost:
            continue
        out.append(p)
        if i in leg.get("duplicate", []):
            out.append((p[0] + 0.001, p[1]))
    for a, b in leg.get("swap", []):
        (ta, pa), (tb, pb) = out[a], out[b]
        out[a], out[b] = (ta, pb), (tb, pa)
    return out


def sdp(spec, side, address, port):
    codecs = spec.get(side, [[0, "PCMU", 8000], [101, "telephone-event", 8000]])
    transport = "RTP/SAVP" if spec.get("srtp") else "RTP/AVP"
    family = "IP6" if ":" in address else "IP4"
    lines = ["v=0", "o=- 1 1 IN %s %s" % (family, address), "s=call", "c=IN %s %s" % (family, address), "t=0 0",
             "m=audio %d %s %s" % (port, transport, " ".join(str(c[0]) for c in codecs))]
    lines += ["a=rtpmap:%d %s/%d" % (c[0], c[1], c[2]) for c in codecs]
    if spec.get("srtp"):
        lines.append("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz")
    lines += ["a=sendrecv"] + ["a=x-padding:%s" % ("p" * 60) for _ in range(spec.get("sdpPadding", 0))]
    return "\r\n".join(lines) + "\r\n"


def sip(kind, caller, callee, body):
    start = "INVITE sip:bob@%s SIP/2.0" % callee if kind == "INVITE" else "SIP/2.0 200 OK"
    headers = [start, "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK776" % caller,
               "From: <sip:alice@%s>;tag=1" % caller, "To: <sip:bob@%s>" % callee,
               "Call-ID: 4711@%s" % caller, "CSeq: 1 INVITE", "Content-Type: application/sdp",
               "Content-Length: %d" % len(body)]
    return ("\r\n".join(headers) + "\r\n\r\n" + body).encode()


def frame(spec, src, dst, sport, dport, payload):
    ip = IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst, id=(sport * 7 + len(payload)) & 0xFFFF)
    packet = ip / UDP(sport=sport, dport=dport) / Raw(payload)
    pieces = [packet]
    if spec.get("fragmentSIP") and dport == 5060 or sport == 5060 and spec.get("fragmentSIP"):
        if ":" in src:
            from scapy.layers.inet6 import IPv6ExtHdrFragment, fragment6
            pieces = fragment6(IPv6(src=src, dst=dst) / IPv6ExtHdrFragment(id=sport) / UDP(sport=sport, dport=dport)
                               / Raw(payload), 600)
        else:
            pieces = fragment(packet, fragsize=400)
    return on_link(spec, src, pieces)


def tcp_frames(spec, src, dst, sport, dport, seq, payload, flags="PA"):
    """The TCP segments (`tcpSegment` bytes each) that carry `payload` from sequence number `seq`; the
    second is retransmitted."""
    size = spec.get("tcpSegment", 500)
    segments = []
    for offset in range(0, max(len(payload), 1), size):
        ip = IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst)
        piece = ip / TCP(sport=sport, dport=dport, seq=seq + offset, ack=1, flags=flags) / Raw(
            payload[offset:offset + size])
        segments += [piece, piece] if offset == size else [piece]
    return on_link(spec, src, segments)


def sip_over_tcp(spec, caller, callee, offer, answer):
    """A TCP connection from the caller's port 45060 to the callee's 5060: handshake, INVITE, 200 OK."""
    def bare(src, dst, sport, dport, seq, flags):
        ip = IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst)
        return on_link(spec, src, [ip / TCP(sport=sport, dport=dport, seq=seq, flags=flags)])
    timed = [(EPOCH - 1.2, f) for f in bare(caller, callee, 45060, 5060, 1000, "S")]
    timed += [(EPOCH - 1.15, f) for f in bare(callee, caller, 5060, 45060, 7000, "SA")]
    timed += [(EPOCH - 1.0 + 0.001 * i, f) for i, f in enumerate(tcp_frames(spec, caller, callee, 45060, 5060,
                                                                               1001, offer))]
    timed += [(EPOCH - 0.5 + 0.001 * i, f) for i, f in enumerate(tcp_frames(spec, callee, caller, 5060, 45060,
                                                                               7001, answer))]
    return timed


def on_link(spec, src, pieces):
    """`pieces` (IP packets) framed for the spec's link type."""
    link = spec.get("link", "ethernet")
    framed = []
    for piece in pieces:
        if link == "ethernet":
            framed.append(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / piece)
        elif link == "vlan":
            framed.append(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / Dot1Q(vlan=42) / piece)
        elif link == "sll":
            framed.append(CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=b"\x02\0\0\0\0\x01\0\0",
                                      proto=0x86DD if ":" in src else 0x0800) / piece)
        elif link == "sll2":
            framed.append(CookedLinuxV2(proto=0x86DD if ":" in src else 0x0800, ifindex=2, pkttype=0,
                                        lladdrtype=1, lladdrlen=6, src=b"\x02\0\0\0\0\x01\0\0") / piece)
        elif link == "null":
            framed.append(Loopback(type=30 if ":" in src else 2) / piece)
        elif link == "raw":
            framed.append(piece)
        else:
            raise SystemExit("make_capture: unknown link " + link)
    return framed


def audio_rate(codec):
    """The rate a codec's audio is made at: 16 kHz for G.722, 48 kHz for Opus, 8 kHz for G.711."""
    return {"G722": 16000, "OPUS": 48000}.get(codec, 8000)


def write_wav(path, leg):
    codec = leg.get("codec", "PCMU")
    rate = 16000 if codec == "G722" else 8000
    silences = [tuple(s) for s in leg.get("silence", [])]
    dtmf = [(d["at"], d["at"] + d["ms"] / 1000.0) for d in leg.get("dtmf", [])]
    frames = int(round(leg["seconds"] / (1 + leg.get("clockPPM", 0.0) / 1e6) * rate))
    samples = []
    for n in range(frames):
        t = n / rate
        muted = in_spans(t, silences) or in_spans(t, dtmf)
        samples.append(0 if muted else int(round(32767 * signal(leg, t))))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack("<%dh" % len(samples), *samples))


def main():
    spec_path, out_dir = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = json.load(f)
    os.makedirs(out_dir, exist_ok=True)
    legs = spec["legs"]
    caller, callee = legs[0]["source"][0], legs[0]["destination"][0]
    timed = []
    if spec.get("sip", True):
        offer = sip("INVITE", caller, callee, sdp(spec, "offer", caller, legs[1]["destination"][1] if len(legs) > 1
                                                   else legs[0]["source"][1]))
        answer = sip("200", caller, callee, sdp(spec, "answer", callee, legs[0]["destination"][1]))
        if spec.get("sipTransport") == "tcp":
            timed += sip_over_tcp(spec, caller, callee, offer, answer)
        else:
            timed += [(EPOCH - 1.0, f) for f in frame(spec, caller, callee, 5060, 5060, offer)]
            timed += [(EPOCH - 0.5, f) for f in frame(spec, callee, caller, 5060, 5060, answer)]
    for index, leg in enumerate(legs):
        for arrival, payload in impair(leg, leg_packets(leg, index)):
            (src, sport), (dst, dport) = leg["source"], leg["destination"]
            timed += [(arrival, f) for f in frame(spec, src, dst, sport, dport, payload)]
        write_wav(os.path.join(out_dir, "leg%d.wav" % (index + 1)), leg)
    for stray in spec.get("strayUDP", []):
        (src, sport), (dst, dport) = stray["source"], stray["destination"]
        for k in range(stray.get("packets", 100)):
            # Version 2 and payload type 0 (PCMU) up front, then bytes that vary as ciphertext does.
            body = hashlib.sha256(b"%d:%d" % (sport, k)).digest() * 6
            payload = bytes([0x80, 0x00]) + body[:170]
            arrival = EPOCH + stray.get("start", 0.0) + k * PACKET_SECONDS
            timed += [(arrival, f) for f in frame(spec, src, dst, sport, dport, payload)]
    timed.sort(key=lambda item: item[0])
    packets = []
    for arrival, f in timed:
        f.time = arrival
        packets.append(f)
    name = os.path.join(out_dir, "call.pcapng" if spec.get("pcapng") else "call.pcap")
    (wrpcapng if spec.get("pcapng") else wrpcap)(name, packets)
    if "truncateBytes" in spec:
        with open(name, "r+b") as f:
            f.truncate(os.path.getsize(name) - spec["truncateBytes"])
    print(name)


if __name__ == "__main__":
    main()

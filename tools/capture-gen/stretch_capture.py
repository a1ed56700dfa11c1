"""Repeats the RTP of a generated capture to make a long one, for benchmarks: a 60 s call becomes an hour.

usage: stretch_capture.py IN.pcap OUT.pcap TIMES SECONDS [TICKS]

IN must be a classic pcap from make_capture.py with Ethernet, IPv4 and no VLAN tag (RTP at byte 42). The SIP
is kept once; every RTP packet is written TIMES times, copy k shifted by k * SECONDS in capture time and by the
matching sequence numbers and RTP ticks (TICKS per packet: 160 by default, for an 8000 Hz clock and one packet per
20 ms; 960 for Opus's 48 kHz clock), so the result is one continuous
call. UDP checksums of the copies are zeroed (no checksum, allowed for IPv4). Streams through the file twice;
memory stays small.
"""

import struct
import sys


def records(path):
    with open(path, "rb") as f:
        header = f.read(24)
        while True:
            head = f.read(16)
            if len(head) < 16:
                return
            sec, frac, caplen, length = struct.unpack("<IIII", head)
            yield header, sec, frac, f.read(caplen), length


def main():
    source, target, times, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    ticks = int(sys.argv[5]) if len(sys.argv) > 5 else 160
    packets_per_copy = seconds * 50
    with open(target, "wb") as out:
        for k in range(times):
            for header, sec, frac, data, length in records(source):
                if k == 0 and out.tell() == 0:
                    out.write(header)
                is_sip = struct.unpack(">H", data[36:38])[0] == 5060
                if is_sip:
                    if k == 0:
                        out.write(struct.pack("<IIII", sec, frac, len(data), length) + data)
                    continue
                body = bytearray(data)
                seq, ts = struct.unpack(">HI", body[44:50])
                struct.pack_into(">HI", body, 44, (seq + k * packets_per_copy) & 0xFFFF,
                                 (ts + k * packets_per_copy * ticks) & 0xFFFFFFFF)
                struct.pack_into(">H", body, 40, 0)
                out.write(struct.pack("<IIII", sec + k * seconds, frac, len(body), length) + bytes(body))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Hint latency as a live client sees it: streams fixture calls to a running gateway in real time (one raw
frame per 20 ms Opus packet, as the web client does) and measures, for every hint, the wall time from sending
the packet whose audio reaches the hint's audio_time_ms to receiving the hint.

    python3 Benchmarks/scripts/hint-latency.py --port 8080 --token "$TOKEN" --calls 2 Fixtures/calls/pricing-call.opus

Only the standard library: a minimal RFC 6455 client (masked binary frames out, unfragmented text frames in,
pings answered).
Prints one JSON object: hints received, p50/p95/max latency in ms, and the streams' close codes.
"""
import argparse
import asyncio
import base64
import json
import os
import struct
import sys
import time


def ogg_packets(data):
    """The Opus packets of an Ogg Opus file, headers (OpusHead, OpusTags) left out."""
    packets, partial, pos = [], b"", 0
    while pos + 27 <= len(data):
        if data[pos:pos + 4] != b"OggS":
            raise ValueError(f"no Ogg page at byte {pos}")
        segments = data[pos + 26]
        table = data[pos + 27:pos + 27 + segments]
        pos += 27 + segments
        for size in table:
            partial += data[pos:pos + size]
            pos += size
            if size < 255:
                packets.append(partial)
                partial = b""
    return [p for p in packets if not p.startswith(b"OpusHead") and not p.startswith(b"OpusTags")]


def frame(sequence, capture_us, packet):
    return b"EP" + bytes([1, 0]) + struct.pack(">IQ", sequence, capture_us) + packet


def ws_frame(opcode, payload):
    mask = os.urandom(4)
    head = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack(">H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack(">Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def read_frame(reader):
    first, second = await reader.readexactly(2)
    n = second & 0x7F
    if n == 126:
        n = struct.unpack(">H", await reader.readexactly(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", await reader.readexactly(8))[0]
    return first & 0x0F, await reader.readexactly(n)


async def stream_call(host, port, token, channels, packets, packet_ms, results):
    reader, writer = await asyncio.open_connection(host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET /v1/stream?channels={channels}&container=raw HTTP/1.1\r\nHost: {host}:{port}\r\n"
                  f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
    status = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in status.split(b"\r\n")[0]:
        raise SystemExit(f"upgrade refused: {status.decode(errors='replace').splitlines()[0]}")
    sent_at = [0.0] * len(packets)
    outcome = {"hints": [], "close": None}

    async def send():
        start = time.monotonic()
        for index, packet in enumerate(packets):
            delay = start + index * packet_ms / 1000 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sent_at[index] = time.monotonic()
            writer.write(ws_frame(0x2, frame(index, index * packet_ms * 1000, packet)))
            await writer.drain()
        writer.write(ws_frame(0x1, b'{"type":"close"}'))
        await writer.drain()

    async def receive():
        while True:
            opcode, payload = await read_frame(reader)
            if opcode == 0x8:
                outcome["close"] = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None
                return
            if opcode == 0x9:
                # The server pings idle-looking clients and closes those that never answer.
                writer.write(ws_frame(0xA, payload))
                continue
            if opcode != 0x1:
                continue
            message = json.loads(payload)
            if message.get("type") == "hint":
                now = time.monotonic()
                index = min(len(packets) - 1, max(0, -(-message["audio_time_ms"] // packet_ms) - 1))
                outcome["hints"].append({"kind": message["kind"], "latency_ms": (now - sent_at[index]) * 1000})

    sender = asyncio.create_task(send())
    await receive()
    sender.cancel()
    writer.close()
    results.append(outcome)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixture")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--token", required=True)
    parser.add_argument("--calls", type=int, default=1, help="concurrent streams")
    parser.add_argument("--channels", type=int, default=2)
    parser.add_argument("--packet-ms", type=int, default=20)
    args = parser.parse_args()
    packets = ogg_packets(open(args.fixture, "rb").read())
    results = []
    await asyncio.gather(*(stream_call(args.host, args.port, args.token, args.channels, packets, args.packet_ms, results)
                           for _ in range(args.calls)))
    latencies = [h["latency_ms"] for r in results for h in r["hints"]]
    print(json.dumps({"calls": args.calls, "hints": len(latencies), "p50_ms": percentile(latencies, 50),
                      "p95_ms": percentile(latencies, 95), "max_ms": round(max(latencies), 1) if latencies else None,
                      "close_codes": [r["close"] for r in results]}))


if __name__ == "__main__":
    asyncio.run(main())

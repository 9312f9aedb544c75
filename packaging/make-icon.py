#!/usr/bin/env python3
"""Draws packaging/icon.png (128x128), the NuGet package icon: a funnel (the filter) on a dark
blue rounded square, with packets entering on the left and one leaving, redirected, below.
Pure Python (zlib + struct), 4x4 supersampling for smooth edges, so it runs anywhere:
    python3 packaging/make-icon.py
"""
import os
import struct
import zlib

SIZE = 128
SS = 4  # samples per pixel side

BACKGROUND = (27, 79, 114)
FUNNEL = (236, 240, 241)
PACKET = (243, 156, 18)


def inside_rounded_square(x, y):
    r = 22.0
    lo, hi = 2.0, SIZE - 2.0
    cx = min(max(x, lo + r), hi - r)
    cy = min(max(y, lo + r), hi - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and lo <= x <= hi and lo <= y <= hi


def inside_funnel(x, y):
    # Trapezoid from y=30 (x 34..110) to y=70 (x 64..80), then a stem to y=100 (x 64..80).
    if 30 <= y <= 70:
        t = (y - 30) / 40.0
        left = 34 + t * (64 - 34)
        right = 110 - t * (110 - 80)
        return left <= x <= right
    return 70 <= y <= 100 and 64 <= x <= 80


def inside_packet(x, y):
    # Three packets entering on the left, one leaving below the stem to the right (redirected).
    for py in (36, 48, 60):
        if 12 <= x <= 28 and py - 3 <= y <= py + 3:
            return True
    if 86 <= x <= 108 and 104 <= y <= 110:
        return True
    # Arrow head of the outgoing packet.
    return 108 <= x <= 116 and abs(y - 107) <= (116 - x) * 0.8


def colour(x, y):
    if not inside_rounded_square(x, y):
        return None
    if inside_packet(x, y):
        return PACKET
    if inside_funnel(x, y):
        return FUNNEL
    return BACKGROUND


def render():
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # filter type: none
        for px in range(SIZE):
            r = g = b = a = 0
            for sy in range(SS):
                for sx in range(SS):
                    c = colour(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    if c is not None:
                        r += c[0]; g += c[1]; b += c[2]; a += 255
            n = SS * SS
            covered = a // 255
            if covered:
                row += bytes((r // covered, g // covered, b // covered, a // n))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    return b"".join(rows)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def main():
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(render(), 9))
    png += chunk(b"IEND", b"")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png")
    with open(out, "wb") as f:
        f.write(png)
    print(out, len(png), "bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes colour/palette-alpha.png: an indexed PNG (colour type 3, 8-bit) whose
tRNS chunk gives the palette entries four different alpha values, which
ImageMagick's PNG8 writer cannot do (it only writes on/off transparency).

    python3 make-palette-alpha.py palette-alpha.png

128x128, four 64x64 quadrants, one palette entry each:
    top-left     index 0  rgb(255,0,0)     alpha 255 (opaque red)
    top-right    index 1  rgb(0,255,0)     alpha 128 (half-transparent green)
    bottom-left  index 2  rgb(0,0,255)     alpha 0   (fully transparent blue)
    bottom-right index 3  rgb(255,255,255) alpha 64  (quarter-opaque white)

Written for imgpool's test data (no third-party code).
"""
import struct
import sys
import zlib

SIZE = 128
PALETTE = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]
ALPHA = [255, 128, 0, 64]


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def main(path):
    half = SIZE // 2
    raw = bytearray()
    for y in range(SIZE):
        raw.append(0)  # filter type: none
        for x in range(SIZE):
            raw.append((2 if y >= half else 0) + (1 if x >= half else 0))
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 3, 0, 0, 0))
    png += chunk(b"PLTE", b"".join(bytes(c) for c in PALETTE))
    png += chunk(b"tRNS", bytes(ALPHA))
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main(sys.argv[1])

"""Tiny real PNG files written with zlib and struct only (no Pillow)."""

from __future__ import annotations

import hashlib
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(tag: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(tag + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)


def png_bytes(width: int, height: int, seed: str) -> bytes:
    """An RGB PNG of horizontal bands in two colours derived from `seed`."""
    digest = hashlib.sha256(seed.encode()).digest()
    colour_a, colour_b = digest[0:3], digest[3:6]
    band = max(1, height // 8)
    row_a = b"\x00" + colour_a * width  # filter type 0 (None) per scanline
    row_b = b"\x00" + colour_b * width
    raw = b"".join(row_a if (y // band) % 2 == 0 else row_b for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _u32(data: bytes, offset: int) -> int:
    return int(struct.unpack(">I", data[offset : offset + 4])[0])


def read_png(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG as written here, after checking every CRC and the pixel data."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    chunks, offset = {}, len(PNG_SIGNATURE)
    while offset < len(data):
        length, tag = _u32(data, offset), data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if zlib.crc32(tag + body) & 0xFFFFFFFF != _u32(data, offset + 8 + length):
            raise ValueError(f"bad CRC in {tag!r}")
        chunks[tag], offset = body, offset + 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    if (depth, colour) != (8, 2) or b"IEND" not in chunks:
        raise ValueError("not an 8-bit RGB PNG")
    if len(zlib.decompress(chunks[b"IDAT"])) != height * (1 + 3 * width):
        raise ValueError("pixel data does not match the size")
    return int(width), int(height)

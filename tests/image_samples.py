"""Hostile and friendly images for the upload tests, built in memory."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def encoded(
    kind: str = "PNG", size: tuple[int, int] = (64, 36), *, noise: bool = False, **options: object
) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    if noise:  # incompressible, so that cutting the file cuts the pixel data
        rng = random.Random(7)
        image = Image.frombytes(
            "RGB", size, bytes(rng.getrandbits(8) for _ in range(3 * size[0] * size[1]))
        )
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def with_exif(kind: str = "JPEG") -> bytes:
    """An image whose EXIF names the camera and where it was: what re-encoding must drop."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "SecretSoftware"  # Software
    return encoded(kind, (48, 32), exif=exif.tobytes())


def declared_png(width: int, height: int) -> bytes:
    """A tiny real PNG whose IHDR claims `width` x `height` (a decompression bomb's header)."""
    data = encoded("PNG", (8, 8))
    assert data[12:16] == b"IHDR"
    ihdr = struct.pack(">II", width, height) + data[24:29]
    chunk = b"IHDR" + ihdr
    patched = struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return data[:8] + patched + data[33:]


HTML_AS_PNG = PNG_MAGIC + b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><rect/></svg>"

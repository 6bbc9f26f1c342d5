"""A tiny valid MP4 (ISO-BMFF, `ftyp isom`) holding one 32x32 H.264 I_PCM frame, built in code."""

from __future__ import annotations

import struct
from functools import cache

WIDTH, HEIGHT = 32, 32
_MB = 16
_IDENTITY = (0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


class _Bits:
    """An H.264 RBSP bit writer with Exp-Golomb codes."""

    def __init__(self) -> None:
        self.bits: list[int] = []

    def u(self, width: int, value: int) -> None:
        self.bits.extend((value >> shift) & 1 for shift in reversed(range(width)))

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(code.bit_length() - 1, 0)
        self.u(code.bit_length(), code)

    def align(self) -> None:
        while len(self.bits) % 8:
            self.bits.append(0)

    def trailing(self) -> bytes:
        self.bits.append(1)
        self.align()
        return bytes(
            int("".join(map(str, self.bits[i : i + 8])), 2) for i in range(0, len(self.bits), 8)
        )


def _nal(header: int, rbsp: bytes) -> bytes:
    """A NAL unit with emulation-prevention bytes inserted."""
    out, zeros = bytearray([header]), 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def _sps() -> bytes:
    bits = _Bits()
    bits.u(8, 66)  # Baseline profile
    bits.u(8, 0xC0)  # constraint_set0/1
    bits.u(8, 10)  # level 1.0
    for value in (0, 0, 2, 1):  # sps id, log2_max_frame_num-4, poc type 2, max refs
        bits.ue(value)
    bits.u(1, 0)
    bits.ue(WIDTH // _MB - 1)
    bits.ue(HEIGHT // _MB - 1)
    bits.u(4, 0b1100)  # frame_mbs_only, direct_8x8, no cropping, no VUI
    return _nal(0x67, bits.trailing())


def _pps() -> bytes:
    bits = _Bits()
    bits.ue(0)
    bits.ue(0)
    bits.u(2, 0)  # CAVLC, no field order flag
    for _ in range(3):  # slice groups, l0 and l1 default refs
        bits.ue(0)
    bits.u(3, 0)  # no weighted prediction
    for _ in range(3):  # pic_init_qp, pic_init_qs, chroma_qp_index_offset (se(0) == ue(0))
        bits.ue(0)
    bits.u(3, 0)  # no deblocking control, constrained intra, redundant pic count
    return _nal(0x68, bits.trailing())


def _idr_slice() -> bytes:
    bits = _Bits()
    for value in (0, 7, 0):  # first_mb, slice_type I (all), pps id
        bits.ue(value)
    bits.u(4, 0)  # frame_num
    bits.ue(0)  # idr_pic_id
    bits.u(2, 0)  # no_output_of_prior_pics, long_term_reference
    bits.ue(0)  # slice_qp_delta (se(0))
    for index in range((WIDTH // _MB) * (HEIGHT // _MB)):
        bits.ue(25)  # mb_type I_PCM
        bits.align()
        luma = 0x40 + 0x30 * index
        for sample in [luma] * 256 + [0x80] * 64 + [0xA0 - 0x10 * index] * 64:
            bits.u(8, sample)
    return _nal(0x65, bits.trailing())


def box(kind: bytes, *payload: bytes) -> bytes:
    data = b"".join(payload)
    return struct.pack(">I", 8 + len(data)) + kind + data


def _full(kind: bytes, flags: int, *payload: bytes) -> bytes:
    return box(kind, struct.pack(">I", flags), *payload)


def _avc1(sps: bytes, pps: bytes) -> bytes:
    avcc = box(
        b"avcC",
        bytes([1, 66, 0xC0, 10, 0xFF, 0xE1]),
        struct.pack(">H", len(sps)),
        sps,
        b"\x01",
        struct.pack(">H", len(pps)),
        pps,
    )
    name = b"\x09simulator".ljust(32, b"\0")
    entry = (
        b"\0" * 6
        + struct.pack(">HHH3I", 1, 0, 0, 0, 0, 0)
        + struct.pack(">HHIIIH", WIDTH, HEIGHT, 0x480000, 0x480000, 0, 1)
        + name
        + struct.pack(">Hh", 0x18, -1)
    )
    return box(b"avc1", entry, avcc)


def _stbl(sample_size: int, offset: int) -> bytes:
    return box(
        b"stbl",
        _full(b"stsd", 0, struct.pack(">I", 1), _avc1(_sps(), _pps())),
        _full(b"stts", 0, struct.pack(">III", 1, 1, 1000)),
        _full(b"stsc", 0, struct.pack(">IIII", 1, 1, 1, 1)),
        _full(b"stsz", 0, struct.pack(">III", 0, 1, sample_size)),
        _full(b"stco", 0, struct.pack(">II", 1, offset)),
    )


def _moov(sample_size: int, offset: int) -> bytes:
    mvhd = _full(
        b"mvhd", 0, struct.pack(">IIIIIH10x9I24xI", 0, 0, 1000, 1000, 0x10000, 0x100, *_IDENTITY, 2)
    )
    tkhd = _full(
        b"tkhd",
        3,
        struct.pack(
            ">IIIII8xhhH2x9III", 0, 0, 1, 0, 1000, 0, 0, 0, *_IDENTITY, WIDTH << 16, HEIGHT << 16
        ),
    )
    mdhd = _full(b"mdhd", 0, struct.pack(">IIIIHH", 0, 0, 1000, 1000, 0x55C4, 0))
    hdlr = _full(b"hdlr", 0, struct.pack(">I4s12x", 0, b"vide"), b"VideoHandler\0")
    dinf = box(b"dinf", _full(b"dref", 0, struct.pack(">I", 1), _full(b"url ", 1)))
    minf = box(
        b"minf",
        _full(b"vmhd", 1, struct.pack(">HHHH", 0, 0, 0, 0)),
        dinf,
        _stbl(sample_size, offset),
    )
    trak = box(b"trak", tkhd, box(b"mdia", mdhd, hdlr, minf))
    return box(b"moov", mvhd, trak)


@cache
def sample_mp4() -> bytes:
    """ftyp + moov + mdat; the single sample is a length-prefixed IDR slice."""
    slice_nal = _idr_slice()
    sample = struct.pack(">I", len(slice_nal)) + slice_nal
    ftyp = box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2avc1mp41")
    offset = len(ftyp) + len(_moov(len(sample), 0)) + 8
    return ftyp + _moov(len(sample), offset) + box(b"mdat", sample)


def parse_boxes(data: bytes, path: str = "") -> dict[str, bytes]:
    """Every box payload by path ("moov/trak/tkhd"), descending into container boxes."""
    boxes, offset = {}, 0
    while offset < len(data):
        size, kind = (
            int(struct.unpack(">I", data[offset : offset + 4])[0]),
            data[offset + 4 : offset + 8],
        )
        if size < 8 or offset + size > len(data):
            raise ValueError(f"bad box size at {offset}")
        name = f"{path}/{kind.decode()}".lstrip("/")
        boxes[name] = payload = data[offset + 8 : offset + size]
        if kind in (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"dinf"):
            boxes |= parse_boxes(payload, name)
        offset += size
    return boxes

"""A minimal, deterministic zip writer for Office packages, taking members compressed ahead.

An Office file is a zip of XML parts, most of them the same in every file jixiao writes
(styles, theme, numbering…). ``zipfile`` compresses every member on every save; here a
member is compressed once (``Member.of``) and its bytes reused, so only the parts that
change (the document body, the properties, the pictures) cost anything. Every member gets
the same fixed date, so the same parts give the same file, byte for byte.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

_DEFLATED = 8
_VERSION = 20  # 2.0: deflate
_DOS_TIME, _DOS_DATE = 0, (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01 00:00
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8_FLAG = 0x800


@dataclass(frozen=True, slots=True)
class Member:
    """One zip member, deflated: its name, CRC-32, size and compressed bytes."""

    name: str
    crc: int
    size: int
    data: bytes

    @classmethod
    def of(cls, name: str, raw: bytes) -> Member:
        """Deflate ``raw`` as ``zipfile`` does by default (level 6, raw deflate stream)."""
        packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        data = packer.compress(raw) + packer.flush()
        return cls(name, zlib.crc32(raw), len(raw), data)


def zip_bytes(members: Iterable[Member]) -> bytes:
    """The zip file holding ``members`` in order (no zip64: Office parts are small)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    count = 0
    for member in members:
        name = member.name.encode()
        flags = 0 if name.isascii() else _UTF8_FLAG
        # the fields both headers carry: flags, method, time, date, crc, sizes, name length
        common = (
            flags,
            _DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            member.crc,
            len(member.data),
            member.size,
            len(name),
        )
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *common, 0)
        out += (header, name, member.data)
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02", _VERSION, 0, _VERSION, 0, *common, 0, 0, 0, 0, 0o600 << 16, offset
            )
            + name
        )
        offset += len(header) + len(name) + len(member.data)
        count += 1
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    return b"".join(out) + directory + end

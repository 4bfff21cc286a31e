"""Plain text and Markdown (.txt, .md): decoding only; Markdown marks go in cleanup.

Files come in UTF-8, UTF-16, GB18030 or Windows-1258. Strict UTF-8 is tried first; otherwise
each plausible encoding decodes the bytes and the most plausible text wins. charset-normalizer
adds its own guess to the candidates but does not decide: it often calls short Vietnamese
cp1258 or Chinese GB18030 text something else.
"""

from __future__ import annotations

import re
import unicodedata

import charset_normalizer

from index.config import Settings
from index.lang import vi, zh

_BOMS = (  # UTF-32 first: its little-endian BOM starts like UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CANDIDATES = ("gb18030", "cp1258")
_SAMPLE = 64 * 1024

# Signs of a wrong decoding: control characters (C0 and C1), replacement and private-use
# characters, combining marks left over after NFC, Latin-1 symbols and letters Vietnamese never
# uses, and ideographs wedged against Latin letters (cp1258 Vietnamese read as GB18030).
_BROKEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\u0300-\u036f]")
_ODD = re.compile("[¡-¿ÄÅÆÇËÏÑÖ×ØÛÜÞßäåæçëïñö÷øûüþÿƒŒœŠšŽžŸ†‡‰‹›™ˆ˜]")
_MIXED = re.compile(f"[A-Za-z][{zh.CJK}]|[{zh.CJK}][A-Za-z]")
_CJK_PROSE = re.compile(f"[{zh.CJK}]{{2,}}|[，。、；：？！“”《》（）]")


def read(data: bytes, settings: Settings) -> str:
    return decode(data)


def decode(data: bytes) -> str:
    """Text of ``data`` in whichever of the supported encodings reads most plausibly, NFC."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _nfc(data[len(bom):].decode(encoding, errors="replace"))
    if b"\x00" not in data:  # UTF-16 text of ASCII is valid UTF-8, with NULs
        try:
            return _nfc(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    elif encoding := _utf16_by_nuls(data):
        try:
            return _nfc(data.decode(encoding))
        except UnicodeDecodeError:
            pass
    best, best_score = None, float("-inf")
    for encoding in _candidates(data):
        try:
            text = _nfc(data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
        if (score := plausibility(text)) > best_score:  # ties keep the earlier, surer candidate
            best, best_score = text, score
    return best if best is not None else _nfc(data.decode("utf-8", errors="replace"))


def plausibility(text: str) -> float:
    """Higher for text that reads as Vietnamese or Chinese, lower for mojibake."""
    sample = text[:20000]
    size = len(sample) - sample.count(" ") or 1
    good = len(vi.VI_SPECIFIC.findall(sample)) + sum(map(len, _CJK_PROSE.findall(sample)))
    odd = len(_ODD.findall(sample)) + len(_MIXED.findall(sample))
    bad = 5 * len(_BROKEN.findall(sample)) + 2 * odd
    return (good - bad) / size


def _utf16_by_nuls(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters put their NUL in the high byte's position."""
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 3 * even:
        return "utf-16-le"
    if even > 3 * odd:
        return "utf-16-be"
    return None


def _candidates(data: bytes) -> list[str]:
    guess = charset_normalizer.from_bytes(data[:_SAMPLE]).best()
    extra = [guess.encoding] if guess and guess.encoding not in _CANDIDATES else []
    return [*_CANDIDATES, *extra]


def _nfc(text: str) -> str:
    # cp1258 writes tone marks as combining characters: "ế" arrives as "ê" + U+0301
    return unicodedata.normalize("NFC", text)

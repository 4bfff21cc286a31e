"""PDF (.pdf) through pypdf: page text without running headers, footers and page numbers, with
the lines the layout broke mid-sentence joined back."""

from __future__ import annotations

import re
from collections import Counter
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import DependencyError

from index.config import Settings
from index.ingest import IngestError
from index.ingest.cleanup import ends_sentence, is_heading, join_text
from index.lang import vi, zh

_PAGE_NUMBERS = (  # "12", "- 12 -", "12/40", "Trang 12", "第12页"
    re.compile(r"[-–—]?\s*\d{1,3}\s*[-–—]?(?:\s*/\s*\d{1,4})?"),
    vi.PAGE_NUMBER,
    zh.PAGE_NUMBER,
)
_EDGE = 2  # a running header or footer takes at most two lines


def read(data: bytes, settings: Settings) -> str:
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            _decrypt(reader)
        if (count := len(reader.pages)) > settings.max_pdf_pages:
            limit = settings.max_pdf_pages
            raise IngestError(f"the PDF has {count} pages, more than the limit of {limit}", "pages", pages=count, limit=limit)
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
    except IngestError:
        raise
    except Exception as e:  # pypdf raises many kinds of errors on a damaged file
        raise IngestError(f"not a valid PDF ({e})", "invalid", kind="PDF") from e
    return "\n".join(_join_lines(_strip_furniture(pages)))


def _decrypt(reader: PdfReader) -> None:
    """Many PDFs are encrypted only against editing, with an empty password to open them."""
    try:
        opened = reader.decrypt("")
    except DependencyError as e:
        reason = f"the PDF is encrypted with AES, which needs the 'cryptography' package ({e})"
        raise IngestError(reason, "encrypted") from e
    if not opened:
        raise IngestError("the PDF is encrypted and needs a password", "encrypted")


def _shape(line: str) -> str:
    """A line with its numbers blanked: "Trang 3/10" and "Trang 4/10" are the same footer."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.lower()))


def _strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Peel page numbers and running headers/footers off the top and bottom of the pages: the
    outermost line goes when it is a page number or recurs on nearly every page; then the next."""
    pages = [[s for line in page if (s := line.strip())] for page in pages]
    needed = max(2, -(-len(pages) * 8 // 10))  # 80% of the pages: a title page may lack it
    for end in (0, -1):
        for _ in range(_EDGE):
            counts = Counter(_shape(page[end]) for page in pages if page)
            for page in pages:
                if page and (counts[_shape(page[end])] >= needed or _is_page_number(page[end])):
                    page.pop(end)
    return pages


def _is_page_number(line: str) -> bool:
    return any(p.fullmatch(line) for p in _PAGE_NUMBERS)


def _join_lines(pages: list[list[str]]) -> list[str]:
    """Join a line to the one before when that one ran to the right margin or the sentence
    plainly goes on (it stops on a comma, or the new line starts in lowercase)."""
    lines = [line for page in pages for line in page]
    if not lines:
        return []
    lengths = sorted(map(len, lines))
    full = 0.7 * lengths[int(0.9 * (len(lengths) - 1))]
    out, prev = [], ""
    for line in lines:
        if prev and not ends_sentence(prev) and not is_heading(line) and (
            len(prev) >= full or prev.endswith(",") or line[:1].islower()
        ):
            out[-1] = join_text(out[-1], line)
        else:
            out.append(line)
        prev = line
    return out

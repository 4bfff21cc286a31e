"""Word documents (.docx) through python-docx: paragraphs and tables in body order."""

from __future__ import annotations

import zipfile
from io import BytesIO

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from index.config import Settings
from index.ingest import IngestError
from index.ingest.cleanup import join_cells

# A .docx is a zip; its XML compresses maybe tenfold. More than this is a zip bomb, not a plan.
_MAX_EXPANSION = 10


def read(data: bytes, settings: Settings) -> str:
    _check_unpacked_size(data, settings.max_file_bytes * _MAX_EXPANSION)
    try:
        document = docx.Document(BytesIO(data))
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors … on bad parts
        raise IngestError(f"not a valid DOCX ({e})", "invalid", kind="DOCX") from e
    lines: list[str] = []
    try:
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)  # headings are paragraphs too: their text is the line
            elif isinstance(block, Table):
                lines.extend(_rows(block))
    except RecursionError as e:  # tables nested in table cells thousands deep
        raise IngestError("the DOCX is nested too deeply to read", "nested") from e
    except Exception as e:  # a part python-docx opened but cannot walk
        raise IngestError(f"not a valid DOCX ({e})", "invalid", kind="DOCX") from e
    return "\n".join(lines)


def _check_unpacked_size(data: bytes, limit: int) -> None:
    # zipfile never inflates a member past its declared size, so the declared sizes are a bound
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            total = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as e:
        # NotImplementedError: a zip "version needed" from the future (found by fuzz/fuzz_ingest.py)
        raise IngestError(f"not a valid DOCX ({e})", "invalid", kind="DOCX") from e
    if total > limit:
        raise IngestError(
            f"the DOCX unpacks to {total / 2**20:.0f} MB, more than the limit of "
            f"{limit / 2**20:.0f} MB (a zip bomb?)", "zip_bomb"
        )


def _rows(table: Table) -> list[str]:
    """One "a | b | c" line per row. python-docx repeats a merged cell in every grid position it
    covers: a horizontal span is written once, a vertical one only in its first row."""
    rows, seen = [], set()  # seen holds the <w:tc> elements themselves, which keeps them alive
    for row in table.rows:
        cells, prev = [], None
        for cell in row.cells:
            tc = cell._tc
            if tc is prev:
                continue
            cells.append("" if tc in seen else _cell_text(cell))
            seen.add(tc)
            prev = tc
        if line := join_cells(cells):
            rows.append(line)
    return rows


def _cell_text(cell) -> str:
    return " ".join(
        block.text if isinstance(block, Paragraph) else " ".join(_rows(block))
        for block in cell.iter_inner_content()
    )

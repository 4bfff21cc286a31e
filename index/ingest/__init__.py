"""Source files → Documents: one reader per format, shared cleanup, metadata by rules.

    doc = load_document(path, "001_3219cb14693d0162.txt", settings)
    for path, result in iter_corpus(settings.corpus_dir, settings):
        if isinstance(result, IngestError):
            print(f"skipped {path.name}: {result}")
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from index.config import Settings
from index.types import Document


log = logging.getLogger(__name__)
UNEXPECTED = "the file could not be read (unexpected error)"


# why a file cannot be used, as codes a user interface translates (the bot: bot/i18n.py "reason_<code>")
REASON_CODES = ("type", "empty", "nested", "unexpected", "no_text", "scanned", "unreadable", "too_big", "pages",
                "invalid", "encrypted", "zip_bomb")


class IngestError(Exception):
    """A file that cannot be turned into a Document; ``reason`` says why in plain words (logs, the
    command line), ``code`` (one of REASON_CODES) and ``values`` the same for a translation."""

    def __init__(self, reason: str, code: str = "unexpected", **values: object):
        super().__init__(reason)
        self.reason, self.code, self.values = reason, code, values


@dataclass(frozen=True)
class Unchanged:
    """A file whose bytes are those of a document the index already has: not read again."""

    doc_id: str
    sha256: str


# The readers raise IngestError, so they are imported once it exists.
from index.ingest import docx, html, pdf, text  # noqa: E402
from index.ingest.cleanup import clean  # noqa: E402
from index.metadata import extract_metadata  # noqa: E402

_READERS = {".txt": text, ".md": text, ".html": html, ".htm": html, ".pdf": pdf, ".docx": docx}
SUPPORTED_SUFFIXES = frozenset(_READERS)


def load_document(path: Path, doc_id: str, settings: Settings, *, data: bytes | None = None) -> Document:
    """Read, clean and describe one file; IngestError when it cannot be used."""
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        raise IngestError(f"unsupported file type {suffix or '(no extension)'}", "type", suffix=suffix or "—")
    data = _read_bytes(path, settings.max_file_bytes) if data is None else data
    if not data.strip():
        raise IngestError("empty file", "empty")
    try:
        cleaned = clean(_READERS[suffix].read(data, settings))
    except IngestError:
        raise
    except RecursionError as e:
        raise IngestError("the file is nested too deeply to read", "nested") from e
    except Exception as e:
        # last resort: one file a reader trips over must not stop a whole build (the fuzzers
        # treat this reason as a finding, see fuzz/seeds.py)
        log.exception("unexpected error reading %s", path.name)
        raise IngestError(f"{UNEXPECTED} ({type(e).__name__}: {e})", "unexpected") from e
    # no letter or digit at all: nothing to index (lxml turns NUL bytes into U+FFFD, for one)
    if not any(ch.isalnum() for ch in cleaned):
        if suffix == ".pdf":
            raise IngestError("no text could be extracted (scanned PDF?)", "scanned")
        raise IngestError("no text could be extracted", "no_text")
    return Document(
        doc_id=doc_id,
        text=cleaned,
        meta=extract_metadata(cleaned, fallback_title=path.stem),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def iter_corpus(
    corpus_dir: Path, settings: Settings, *, known: Mapping[str, str] | None = None
) -> Iterator[tuple[Path, Document | Unchanged | IngestError]]:
    """Every file under ``corpus_dir`` (recursive, sorted, hidden files and folders skipped) with
    its Document, or the IngestError that says why it was skipped. With ``known`` (doc_id →
    sha256 of the documents an index already has), a file with those very bytes is Unchanged and
    not parsed (parsing a PDF costs far more than hashing it)."""
    found = []
    for root, dirs, files in os.walk(corpus_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(root, name) for name in files if not name.startswith(".")]
    for path in sorted(found, key=lambda p: p.relative_to(corpus_dir).as_posix()):
        doc_id = path.relative_to(corpus_dir).as_posix()
        try:
            data = None
            if known and doc_id in known:
                data = _read_bytes(path, settings.max_file_bytes)
                sha256 = hashlib.sha256(data).hexdigest()
                if sha256 == known[doc_id]:
                    yield path, Unchanged(doc_id, sha256)
                    continue
            yield path, load_document(path, doc_id, settings, data=data)
        except IngestError as e:
            yield path, e


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, reading at most one byte past ``limit`` so a huge file costs nothing."""
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise IngestError(f"cannot read the file ({e.strerror or e})", "unreadable") from e
    if len(data) > limit:
        raise IngestError(f"file is larger than {_size(limit)}", "too_big", limit=_size(limit))
    return data


def _size(n: int) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:g} {unit}"
    return f"{n} bytes"

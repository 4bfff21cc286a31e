"""Admin uploads: safe file names, a staging folder, and the parse check before anything is indexed.

A file is downloaded into ``<corpus>/.incoming/<random>/<safe name>`` (hidden, so the indexer never
sees it; same file system, so moving it into the corpus is one atomic rename), parsed with the
engine's own reader (`load_document`), and only then moved next to the other documents.
"""

from __future__ import annotations

import re
import secrets
import shutil
import unicodedata
from pathlib import Path

from index.types import Document

from .config import UPLOAD_SUFFIXES

_MIME_SUFFIXES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/html": ".html",
    "text/plain": ".txt",
}
MAX_STEM = 80
STAGING = ".incoming"


class UploadRejected(Exception):
    """The upload cannot be used; ``code`` picks the message shown to the admin."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def safe_name(original: str | None, mime_type: str | None = None, allowed: frozenset[str] = UPLOAD_SUFFIXES) -> str:
    """A file name that is safe to create in the corpus folder, readable, with an allowed suffix.

    Only the last path component is kept (no "../", no absolute paths, no backslash tricks),
    control characters and punctuation other than "-", "_" and "." become "_", a leading dot is
    dropped (no hidden files), and the stem is cut to ``MAX_STEM`` characters. Letters of any
    script stay: "Kế hoạch 161.pdf" → "Kế_hoạch_161.pdf".
    """
    name = unicodedata.normalize("NFC", original or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = f".{suffix.lower()}" if suffix else _MIME_SUFFIXES.get((mime_type or "").lower(), "")
    if suffix not in allowed:
        raise UploadRejected("type", suffix or "(no extension)")
    stem = re.sub(r"[^\w.-]+", "_", stem)
    stem = re.sub(r"_{2,}", "_", stem).strip("._- ")[:MAX_STEM].rstrip("._- ")
    return (stem or "document") + suffix


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem-2.ext``, ``-3`` … when the name is taken (any case)."""
    taken = {p.name.lower() for p in folder.iterdir()} if folder.is_dir() else set()
    stem, suffix = name[: -len(Path(name).suffix)], Path(name).suffix
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem}-{n}{suffix}"
        n += 1
    return folder / candidate


def staging_path(corpus_dir: Path, name: str) -> Path:
    """Where to download an upload before it is checked: a fresh hidden folder in the corpus."""
    folder = Path(corpus_dir) / STAGING / secrets.token_hex(8)
    folder.mkdir(parents=True)
    return folder / name


def discard(staged: Path) -> None:
    shutil.rmtree(staged.parent, ignore_errors=True)


def duplicate_of(document: Document, documents: dict[str, Document]) -> Document | None:
    """An indexed document with the same bytes, if there is one."""
    return next((d for d in documents.values() if d.sha256 == document.sha256), None)

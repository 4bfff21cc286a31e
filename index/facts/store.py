"""facts.sqlite: the extracted facts of one build, written inside the build folder.

The build (``index/build.py``) writes it with ``write_facts`` (or ``add_facts`` when it only adds
documents: the previous file is copied and the new documents' facts inserted) into the build
folder before it is published, so the facts are published atomically with the rest of the index
and always describe the same documents. Extraction is cheap (about 40 ms a document), but a
document whose bytes (sha256) and the extractor's code (``EXTRACTOR_SIGNATURE``) are both
unchanged since the current build has its facts copied over instead of extracted again.

Tables: ``meta`` (format, extractor signature, counts), ``documents`` (metadata a fact answer or
a calendar needs: title, number, date, period), ``facts`` (one row a fact: the columns queries
filter on, and the whole fact as JSON), ``fact_agencies`` (fact ↔ agency: its subject, its
partners, who must meet a deadline).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..types import DocMeta, Document
from .model import Agency, Deadline, Fact, Responsibility

log = logging.getLogger(__name__)

FILENAME = "facts.sqlite"
FORMAT = 1
_SOURCES = ("model.py", "dates.py", "agencies.py", "extract.py")


def _signature() -> str:
    """A hash of the extractor's code and of the language rules it reads."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(str(FORMAT).encode())
    for path in [*(here / name for name in _SOURCES), here.parent / "lang" / "vi.py", here.parent / "lang" / "zh.py",
                 here.parent / "chunking.py"]:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


EXTRACTOR_SIGNATURE = _signature()

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, sha256 TEXT, lang TEXT, title TEXT, number TEXT, date TEXT, place TEXT,
    period TEXT, period_end INTEGER, facts INTEGER, error TEXT);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY, type TEXT, doc_id TEXT, lang TEXT, section TEXT, quote TEXT, line INTEGER,
    start INTEGER, "end" INTEGER, key TEXT, due TEXT, rrule TEXT, json TEXT);
CREATE TABLE fact_agencies (fact_id INTEGER, agency_id TEXT, relation TEXT, name TEXT, level TEXT, mention TEXT);
CREATE INDEX facts_type ON facts(type, doc_id);
CREATE INDEX fact_agencies_agency ON fact_agencies(agency_id);
"""


@dataclass
class FactsReport:
    path: Path
    facts: int
    extracted_documents: int
    reused_documents: int
    failed: list[tuple[str, str]]


# a fact as stored: its row without the id, and its agency rows without the fact id. Facts of an
# unchanged document are copied as these rows (measured: parsing and re-serialising them was a
# third of adding one document to 8,000; bench/RESULTS.md)
_FACT_COLUMNS = 'type, doc_id, lang, section, quote, line, start, "end", key, due, rrule, json'
_AGENCY_COLUMNS = "agency_id, relation, name, level, mention"
StoredFact = tuple[tuple, list[tuple]]


def write_facts(path: Path, documents: list[Document], *, previous: Path | None = None) -> FactsReport:
    """Extract (or reuse) the facts of ``documents`` and write them to a new SQLite file at ``path``.

    Never raises because of one document: a document whose extraction fails is recorded with its
    error and has no facts; the build goes on.
    """
    reusable = _previous_facts(previous) if previous else {}
    stored, rows, reused, failed = _extract(documents, reusable)
    return _write(Path(path), None, stored, rows, reused, len(documents) - reused - len(failed), failed)


def add_facts(path: Path, documents: list[Document], *, previous: Path) -> FactsReport:
    """``previous``'s facts plus those of ``documents`` (documents it does not have), written to a
    new file at ``path``: the previous facts are copied as a file, not read."""
    if not compatible(previous):
        raise ValueError(f"{previous} was written by another extractor; use write_facts")
    stored, rows, _, failed = _extract(documents, {})
    return _write(Path(path), Path(previous), stored, rows, 0, len(documents) - len(failed), failed)


def compatible(path: Path) -> bool:
    """Whether ``path`` holds facts this extractor wrote (so they can be kept as they are)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return meta.get("format") == str(FORMAT) and meta.get("extractor") == EXTRACTOR_SIGNATURE


def _extract(documents: list[Document], reusable: dict[str, tuple[str, list[StoredFact]]]):
    from .extract import extract_document  # the extractor pulls in the chunker; load it only here

    stored: list[StoredFact] = []
    rows = []
    reused = 0
    failed: list[tuple[str, str]] = []
    for doc in documents:
        error = None
        if doc.doc_id in reusable and reusable[doc.doc_id][0] == doc.sha256:
            facts = reusable[doc.doc_id][1]
            reused += 1
        else:
            try:
                facts = [_stored(f) for f in extract_document(doc)]
            except Exception as exc:  # noqa: BLE001 - one document must not fail the build
                log.exception("fact extraction failed for %s", doc.doc_id)
                facts, error = [], f"{type(exc).__name__}: {exc}"
                failed.append((doc.doc_id, error))
        stored.extend(facts)
        m = doc.meta
        rows.append((doc.doc_id, doc.sha256, m.lang, m.title, m.number, m.date, m.place, m.period, m.period_end, len(facts), error))
    return stored, rows, reused, failed


def _write(path: Path, base: Path | None, stored: list[StoredFact], rows: list[tuple], reused: int, extracted: int,
           failed: list[tuple[str, str]]) -> FactsReport:
    """Write ``base``'s facts (a copy; none when None) and then these, to ``path`` atomically."""
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    if base is not None:
        shutil.copyfile(base, tmp)
    con = sqlite3.connect(tmp)
    try:
        if base is None:
            con.executescript(_SCHEMA)
        first = con.execute("SELECT COALESCE(MAX(id), 0) FROM facts").fetchone()[0] + 1
        con.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        con.executemany(f"INSERT INTO facts (id, {_FACT_COLUMNS}) VALUES ({', '.join('?' * 13)})",
                        ((i, *fact) for i, (fact, _) in enumerate(stored, start=first)))
        con.executemany(f"INSERT INTO fact_agencies (fact_id, {_AGENCY_COLUMNS}) VALUES (?,?,?,?,?,?)",
                        ((i, *a) for i, (_, agencies) in enumerate(stored, start=first) for a in agencies))
        total = con.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
        meta = {"format": str(FORMAT), "extractor": EXTRACTOR_SIGNATURE, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "facts": str(total), "reused_documents": str(reused), "extracted_documents": str(extracted)}
        con.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", meta.items())
        con.commit()
    finally:
        con.close()
    tmp.replace(path)
    return FactsReport(path, total, extracted, reused, failed)


def _stored(f: Fact) -> StoredFact:
    due, rrule = _due(f)
    row = (f.type, f.doc_id, f.lang, f.section, f.quote, f.line, f.start, f.end, f.key, due, rrule,
           json.dumps(f.to_dict(), ensure_ascii=False))
    return row, [(a.id, rel, a.name, a.level, a.mention) for rel, a in _agencies(f)]


def _due(f: Fact) -> tuple[str | None, str | None]:
    if isinstance(f.payload, Deadline):
        return f.payload.when.date, f.payload.when.rrule
    return None, None


def _agencies(f: Fact) -> list[tuple[str, Agency]]:
    p = f.payload
    if isinstance(p, Responsibility):
        return [("subject", p.agency), *(("partner", a) for a in p.partners)]
    if isinstance(p, Deadline) and p.agency:
        return [("deadline", p.agency)]
    return []


def _previous_facts(path: Path) -> dict[str, tuple[str, list[StoredFact]]]:
    """doc_id → (sha256, stored facts) from a previous facts.sqlite written by this same extractor."""
    if not compatible(path):
        return {}
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            agencies: dict[int, list[tuple]] = {}
            for fact_id, *agency in con.execute(f"SELECT fact_id, {_AGENCY_COLUMNS} FROM fact_agencies ORDER BY rowid"):
                agencies.setdefault(fact_id, []).append(tuple(agency))
            by_doc: dict[str, list[StoredFact]] = {}
            for fact_id, *fact in con.execute(f"SELECT id, {_FACT_COLUMNS} FROM facts ORDER BY id"):
                by_doc.setdefault(fact[1], []).append((tuple(fact), agencies.get(fact_id, [])))
            docs = con.execute("SELECT doc_id, sha256 FROM documents WHERE error IS NULL").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return {}
    return {doc_id: (sha, by_doc.get(doc_id, [])) for doc_id, sha in docs}


class FactStore:
    """The facts of one build, read once into memory (they are small: a few hundred a document) and
    parsed per document when first asked for (parsing them all was 0.25 s of a cold start at
    34,000 documents)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no facts file at {self.path}")
        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            self.meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            if self.meta.get("format") != str(FORMAT):
                raise ValueError(f"facts file format {self.meta.get('format')} (this version reads {FORMAT}); rebuild the index")
            cols = ["doc_id", "sha256", "lang", "title", "number", "date", "place", "period", "period_end", "facts", "error"]
            self.documents = {r[0]: dict(zip(cols, r)) for r in con.execute(f"SELECT {', '.join(cols)} FROM documents")}
            self._raw: dict[str, list[str]] = {}  # doc_id → its facts as stored JSON, in extraction order
            for doc_id, raw in con.execute("SELECT doc_id, json FROM facts ORDER BY id"):
                self._raw.setdefault(doc_id, []).append(raw)
        finally:
            con.close()
        self._position = {doc_id: i for i, doc_id in enumerate(self._raw)}
        self._parsed: dict[str, list[Fact]] = {}
        self._lock = threading.Lock()

    def _of(self, doc_id: str) -> list[Fact]:
        with self._lock:  # the bot answers on several threads
            if doc_id not in self._parsed:
                self._parsed[doc_id] = [Fact.from_dict(json.loads(raw)) for raw in self._raw.get(doc_id, ())]
            return self._parsed[doc_id]

    def facts(self, type: str | None = None, doc_ids: set[str] | None = None) -> list[Fact]:
        """Facts of one type (None: all) of some documents (None: all), in extraction order."""
        docs = self._raw if doc_ids is None else sorted((d for d in doc_ids if d in self._raw), key=self._position.get)
        return [f for d in docs for f in self._of(d) if type is None or f.type == type]

    def agencies(self) -> list[Agency]:
        """Every agency the facts name (subjects, partners, who meets a deadline), one per id and level."""
        seen: dict[tuple[str, str | None], Agency] = {}
        for f in self.facts():
            for _rel, a in _agencies(f):
                seen.setdefault((a.id, a.level), a)
        return list(seen.values())

    def meta_of(self, doc_id: str) -> DocMeta:
        d = self.documents.get(doc_id, {})
        return DocMeta(title=d.get("title") or doc_id, lang=d.get("lang") or "vi", number=d.get("number"),
                       place=d.get("place"), date=d.get("date"), period=d.get("period"), period_end=d.get("period_end"))


_cache_lock = threading.Lock()


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> FactStore:
    return FactStore(Path(path))


def load_facts(path: Path) -> FactStore:
    """A FactStore for ``path``, shared between callers while the file is unchanged."""
    path = Path(path)
    with _cache_lock:
        return _cached(str(path.resolve()), path.stat().st_mtime)

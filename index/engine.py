"""The engine's one entry point: open (or build) the index and answer questions.

The CLI, the Telegram bot and the evaluation harness all go through `Engine`, so they give the
same answers.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from . import store
from .answer import answer
from .config import Settings
from .embedding import Embedder
from .facts.answers import answer_with_facts
from .lang import glossary, vi, zh
from .reader import Reader, open_reader
from .retrieve import Query, Retriever
from .types import Answer, Hit

if TYPE_CHECKING:  # building pulls in every file reader (PDF, HTML, DOCX): answering needs none
    from .build import BuildReport


BUILD_LOCK = "build.lock"


class Engine:
    def __init__(self, settings: Settings | None = None, *, embedder: Embedder | None = None):
        self.settings = settings or Settings()
        self.embedder = embedder or Embedder.from_settings(self.settings)
        self._lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._milvus_backend = None

    @classmethod
    def open(
        cls, settings: Settings | None = None, *, build_if_missing: bool = False, progress: bool = True,
        embedder: Embedder | None = None,
    ) -> Engine:
        """Load the index; with ``build_if_missing``, build it first when there is none (or when
        another version of policyqa wrote it)."""
        engine = cls(settings, embedder=embedder)
        try:
            engine.reload()
        except (store.IndexMissingError, store.IndexOutdatedError):
            if not build_if_missing:
                raise
            engine.build(progress=progress)
        return engine

    def build(self, *, rebuild: bool = False, progress: bool = True) -> BuildReport:
        """Build or update the index, then answer from the new one."""
        from .build import build_index

        index_dir = Path(self.settings.index_dir)
        index_dir.mkdir(parents=True, exist_ok=True)
        # one build at a time per index, across processes (several bot workers share it): the
        # second starts from the first's result instead of both publishing from the same old one
        with open(index_dir / BUILD_LOCK, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            report = build_index(self.settings, embedder=self.embedder, rebuild=rebuild, progress=progress)
        self.reload()
        return report

    def reload(self) -> None:
        """Switch to the current build on disk (atomically for callers: one reference swap); on the
        Milvus backend, the build is published there first when it is not yet."""
        stored = store.load(self.settings.index_dir, self.settings.index_signature())
        if self.settings.backend == "milvus":
            stored = self._milvus().attach(stored)
        elif self.settings.backend != "local":
            raise ValueError(f"unknown backend {self.settings.backend!r}; choose local or milvus")
        with self._lock:
            self._retriever = Retriever(stored, self.embedder, self.settings)

    def reload_if_newer(self) -> bool:
        """Switch to the current build on disk if it is not the one answering (a build by another
        process); whether it switched."""
        current = store.current_build(self.settings.index_dir)
        with self._lock:
            answering = self._retriever.stored.path.resolve() if self._retriever else None
        if current is None or current == answering:
            return False
        self.reload()
        return True

    def _milvus(self):
        """The Milvus deployment this engine publishes to and searches (made on first need)."""
        if self._milvus_backend is None:
            from .milvus import MilvusBackend

            s = self.settings
            index_key = hashlib.sha1(str(Path(s.index_dir).resolve()).encode()).hexdigest()[:10]
            try:
                self._milvus_backend = MilvusBackend(s.milvus_uri or str(s.cache_dir / "milvus.db"),
                                                     prefix=s.milvus_prefix or f"policyqa_{index_key}")
            except ImportError as exc:  # pymilvus is an extra: pip install 'policyqa[milvus]'
                raise store.IndexMissingError(
                    f"the milvus backend needs pymilvus ({exc}); install it with: pip install 'pymilvus[milvus_lite]'"
                ) from exc
        return self._milvus_backend

    @property
    def index(self) -> store.StoredIndex:
        return self._current().stored

    def reader(self) -> Reader | None:
        """The answer reader (index/reader.py), opened on first use; None when turned off or unavailable."""
        s = self.settings
        if not s.reader:
            return None
        return open_reader(s.cache_dir, candidates=s.reader_candidates, other_language=s.reader_other_language)

    def _current(self) -> Retriever:
        with self._lock:
            if self._retriever is None:
                raise store.IndexMissingError("the index is not loaded")
            return self._retriever

    def section_text(self, doc_id: str, section: str) -> str:
        """The whole text of one section (all its passages, in order), for "show the section"."""
        parts = [
            c.text
            for c in self.index.chunks
            if c.doc_id == doc_id and (c.section_path == section or c.section_path.startswith(section + " › "))
        ]
        return "\n".join(parts)

    def documents_named(self, text: str) -> set[str]:
        """The documents ``text`` names by number ("385/KH-UBND") or place ("Hà Tĩnh", "ha tinh",
        "郴州" for 郴州市): a question naming one is about it, whatever was asked before."""
        folded = vi.fold(text).lower()
        named = set()
        for doc_id, doc in self.index.documents.items():
            meta = doc.meta
            place = vi.fold(meta.place or "").lower()
            core = place.rstrip(zh.ADMIN_SUFFIXES) if len(place) > 2 else place  # 郴州市 → 郴州
            if (meta.number and vi.fold(meta.number).lower() in folded) or (core and core in folded):
                named.add(doc_id)
        return named

    def query(self, question: str) -> Query:
        """The question as the current index's retrieval reads it (what it embeds, its tokens)."""
        return self._current().query(question)

    def retrieve(self, question: str, k: int = 10, mode: str = "hybrid") -> list[Hit]:
        retriever = self._current()
        return retriever.search(retriever.query(question), k=k, mode=mode)

    def ask(self, question: str, k: int | None = None, mode: str = "hybrid", within: str | None = None) -> Answer:
        """Answer ``question`` from the whole index, or (``within``) from one document's passages."""
        retriever = self._current()
        query = retriever.query(question[: self.settings.max_question_chars])
        k = k or self.settings.top_k
        # nothing to search for (empty, spaces, emoji or punctuation only): "nothing found"
        if not query.tokens:
            hits = []
        elif within:
            hits = retriever.search_within(query, within, k=k)
        else:
            hits = retriever.search(query, k=k, mode=mode)
        reply = answer(
            query,
            hits,
            lexical=retriever.stored.lexical,
            documents=retriever.stored.documents,
            min_confidence=self.settings.min_confidence,
            year=dt.date.today().year,
            reader=self.reader(),
        )
        # deadline / responsibility questions: complete lists from the extracted facts (index/facts/)
        return answer_with_facts(reply, query.tokens, hits, stored=retriever.stored, idf=retriever.stored.lexical.idf,
                                 documents=retriever.stored.documents, year=dt.date.today().year,
                                 places=glossary.places_named(query.glossary_terms))

"""Question → ranked passages: BM25 and dense search, fused, near-duplicates folded into one.

Hybrid retrieval fuses, by weighted reciprocal rank: BM25 over passages, BM25 over the question's
glossary terms in the other language and over the other language's words it reads as (Sino-
Vietnamese readings, index/lang/sinoviet.py), dense search, and BM25 and dense search over whole documents
(a passage of a long plan often lacks the words that its document as a whole holds, and the model
reads a short document better whole than cut in two; every passage of a document gains that
document's rank, and more when that document clearly leads the BM25 list). Dense search counts
less where documents are long: it tells documents apart better than the passages of one plan
(``Retriever.dense_weight``). When no document of the index is in the question's language, the
question's own words cannot match (other scripts), so its BM25 lists are noise: they get
``foreign_lexical_weight`` and dense search decides. In a corpus of both languages the other
language's nearest passages get a few ranks of their own (the first ones when the question names
that language's country), and a record's field labelled for what the question asks follows the
record's first passage.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .config import Settings
from .dense import center
from .embedding import Embedder
from .fields import is_record_text, kinds_of_label
from .fusion import add_bonus, add_group_ranking, fold_near_duplicates, margin_confidence, reciprocal_rank_fusion
from .lang import glossary, names_country, question_lang, vi
from .lang.sinoviet import ReadingBridge
from .lexical import LexicalIndex, top_k
from .question import Question, read_question
from .store import StoredIndex
from .tokenize import tokenize, tokenize_document, tokenize_question
from .types import Chunk, Hit

MODES = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Query:
    text: str  # as typed
    lang: str  # language to answer in
    tokens: tuple[str, ...]  # BM25 tokens (diacritics folded)
    dense_text: str  # what the embedding model sees: diacritics restored, glossary terms added
    translated: tuple[str, ...] = ()  # BM25 tokens of the question's terms in the other language
    translated_from: tuple[str, ...] = ()  # the question's own tokens that the glossary translated
    glossary_concepts: tuple[tuple[str, ...], ...] = ()  # those terms, as phrases: each concept's alternatives
    document_tokens: tuple[str, ...] = ()  # BM25 tokens for whole documents: ``tokens`` plus Chinese pairs
    read_as: tuple[str, ...] = ()  # the corpus's words in the other language the question reads as (index/lang/sinoviet.py)
    question: Question = Question()  # what it asks for, read once (index/question.py)

    @property
    def glossary_terms(self) -> tuple[str, ...]:
        """Every alternative of every glossary concept, once."""
        return tuple(dict.fromkeys(t for terms in self.glossary_concepts for t in terms))


def prepare_query(
    text: str, restorer: vi.DiacriticRestorer | None, *, document_langs: Collection[str] | None = None,
    bridge: Callable[[], ReadingBridge] | None = None,
) -> Query:
    """The question as retrieval and answering read it. Its glossary terms in the other language
    are also embedded with it and searched for when ``document_langs`` (the languages some document
    is in; None: unknown) holds that language; otherwise they only serve the answer (places it
    names, its concepts). ``bridge`` gives the corpus's words by their Sino-Vietnamese reading
    (made on first need: a corpus in one language never needs it), for the words of the other
    language the question reads as."""
    text = " ".join(text.split())
    lang = question_lang(text)
    restored = text
    if lang == "vi" and restorer is not None and not vi.has_diacritics(text) and vi.looks_vietnamese(text):
        restored = restorer.restore(text)
    found = glossary.translate(restored, lang)
    sources = list(dict.fromkeys(source for source, _ in found))
    terms = list(dict.fromkeys(t for _, alternatives in found for t in alternatives))
    other = "vi" if lang == "zh" else "zh"
    searched = terms if document_langs is None or other in document_langs else []
    dense_text = f"{restored} ({', '.join(searched)})" if searched else restored
    tokens = tuple(tokenize_question(text))
    read_as: list[str] = []
    if bridge is not None and (document_langs is None or other in document_langs):
        read_as = bridge().chinese(restored) if lang == "vi" else bridge().vietnamese(tokens)
    return Query(
        text,
        lang,
        tokens,
        dense_text,
        tuple(tokenize(" ".join(searched))),
        tuple(tokenize(" ".join(sources))),
        tuple(alternatives for _, alternatives in found),
        tuple(tokenize_document(text, question=True)),
        tuple(read_as),
        read_question(text),
    )


@dataclass(frozen=True)
class DocumentView:
    """Whole-document views of a stored index, made when it is first searched (BM25 over
    documents comes from the build)."""

    ids: list[str]  # document number → doc_id
    of_passage: np.ndarray  # passage index → document number
    passages: list[np.ndarray]  # document number → its passage indices
    lexical: LexicalIndex  # BM25 over each document's head and whole text
    lang_share: dict[str, float]  # share of documents per language
    split_share: float  # share of documents cut into several passages
    whole: np.ndarray  # document numbers that have a whole-document vector (StoredIndex.document_vectors) …
    whole_vectors: np.ndarray  # … and those vectors, centred as the passages are
    passage_langs: np.ndarray  # passage index → its document's language
    by_lang: dict[str, np.ndarray]  # language → the passages of its documents

    def passages_in(self, lang: str) -> np.ndarray:
        """The passages of the documents in ``lang``."""
        return self.by_lang.get(lang, np.array([], dtype=np.int64))

    @property
    def passages_per_document(self) -> float:
        return len(self.of_passage) / max(1, len(self.ids))

    @property
    def document_evidence(self) -> float:
        """How much a whole-document ranking adds to passage rankings, 0..1: nothing over a handful
        of documents (every passage of the top one would outrank better passages of the others),
        and for a one-passage document it repeats that passage's BM25."""
        return self.split_share if len(self.ids) >= MIN_DOCUMENTS else 0.0

    @classmethod
    def of(cls, stored: StoredIndex) -> DocumentView:
        number: dict[str, int] = {}
        of_passage = np.array([number.setdefault(c.doc_id, len(number)) for c in stored.chunks], dtype=np.int64)
        ids = list(number)
        order = np.argsort(of_passage, kind="stable")
        bounds = np.searchsorted(of_passage[order], np.arange(len(ids) + 1))
        passages = [order[bounds[d] : bounds[d + 1]] for d in range(len(ids))]
        docs = [stored.documents.get(d) for d in ids]
        langs = Counter(doc.meta.lang for doc in docs if doc)
        total = max(1, sum(langs.values()))
        split = sum(len(p) > 1 for p in passages) / max(1, len(passages))
        whole = [d for d in ids if d in stored.document_vectors]
        whole_vectors = center(
            np.stack([stored.document_vectors[d] for d in whole]) if whole else np.zeros((0, stored.vectors.shape[1])),
            [stored.documents[d].meta.lang for d in whole], stored.dense.means,
        )
        doc_langs = np.array([doc.meta.lang if doc else "" for doc in docs])
        passage_langs = doc_langs[of_passage] if len(of_passage) else np.array([], dtype=str)
        return cls(
            ids, of_passage, passages, stored.document_lexical, {lang: n / total for lang, n in langs.items()}, split,
            np.array([number[d] for d in whole], dtype=np.int64), whole_vectors, passage_langs,
            {lang: np.flatnonzero(passage_langs == lang) for lang in langs},
        )


SHORT_DOCUMENT, LONG_DOCUMENT = 2.0, 8.0  # passages per document (Retriever.dense_weight)
MIN_DOCUMENTS = 50  # below this, documents are not ranked as a whole (see document_evidence)
_VIEWS: dict[str, DocumentView] = {}  # by build folder: one per build, shared by its retrievers
_BRIDGES: dict[str, ReadingBridge] = {}  # likewise
_VIEWS_LOCK = threading.Lock()
_VIEWS_KEPT = 8


def _per_build(cache: dict, stored: StoredIndex, make: Callable[[StoredIndex], object]):
    """``make(stored)``, made once per build folder (and backend) and kept for the last ``_VIEWS_KEPT``."""
    key = f"{stored.path}|{type(stored.lexical).__name__}"  # a build searched locally or on Milvus
    with _VIEWS_LOCK:
        made = cache.get(key)
        if made is None:
            made = make(stored)
            if len(cache) >= _VIEWS_KEPT:
                cache.pop(next(iter(cache)))
            cache[key] = made
        return made


def document_view(stored: StoredIndex) -> DocumentView:
    return _per_build(_VIEWS, stored, DocumentView.of)


def reading_bridge(stored: StoredIndex) -> ReadingBridge:
    return _per_build(_BRIDGES, stored, lambda s: ReadingBridge(t for t in s.lexical.vocab if s.lexical.holds(t)))


class Retriever:
    """Searches one stored index; the embedding model is loaded on the first dense query."""

    def __init__(self, stored: StoredIndex, embedder: Embedder, settings: Settings):
        self.stored, self.embedder, self.settings = stored, embedder, settings

    @property
    def documents(self) -> DocumentView:
        return document_view(self.stored)

    @property
    def document_langs(self) -> set[str]:
        """The languages of at least ``min_lang_share`` of the documents."""
        return {lang for lang, share in self.documents.lang_share.items() if share >= self.settings.min_lang_share}

    def lexical_weight(self, query: Query) -> float:
        """How much the question's own BM25 lists count: fully, unless no document of the index is
        in the question's language (its words are in another script and match only stray numbers)."""
        return 1.0 if query.lang in self.document_langs else self.settings.foreign_lexical_weight

    def query(self, text: str) -> Query:
        # the other language's words blur the question's vector where no document is in it
        # (NCPQA, Chinese only: dense hit@10 0.909 → 0.928)
        return prepare_query(text, self.stored.restorer, document_langs=self.document_langs,
                             bridge=lambda: reading_bridge(self.stored))

    def dense_weight(self) -> float:
        """Dense search's weight in hybrid: ``dense_weight`` over short documents (one or two
        passages each), ``long_document_dense_share`` of it over long ones, log-linear between."""
        s = self.settings
        per_document = max(self.documents.passages_per_document, 1.0)
        ramp = np.clip(np.log(per_document / SHORT_DOCUMENT) / np.log(LONG_DOCUMENT / SHORT_DOCUMENT), 0.0, 1.0)
        return float(s.dense_weight * (1.0 - (1.0 - s.long_document_dense_share) * ramp))

    @staticmethod
    def glossary_share(query: Query) -> float:
        """The share of the question's words the glossary translated: a list matching one place
        name of a long question is weaker evidence than one matching most of it."""
        return min(1.0, len(query.translated_from) / len(query.tokens)) if query.tokens else 0.0

    def search(self, query: Query, k: int = 10, mode: str = "hybrid") -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"unknown retriever {mode!r}; choose one of {', '.join(MODES)}")
        s = self.settings
        n = s.candidates
        own = self.lexical_weight(query) if mode == "hybrid" else 1.0
        rankings: dict[str, list[tuple[int, float]]] = {}
        if mode in ("bm25", "hybrid") and own > 0:
            rankings["bm25"] = self.stored.lexical.search(list(query.tokens), n)
        if mode in ("bm25", "hybrid") and query.translated:
            # the question's terms in the other language reach passages it cannot match itself
            rankings["glossary"] = self.stored.lexical.search(list(query.translated), n)
        if mode in ("bm25", "hybrid") and query.read_as:
            rankings["readings"] = self.stored.lexical.search(list(query.read_as), n)
        if mode in ("dense", "hybrid"):
            vector = self.embedder.embed_queries([query.dense_text])[0]
            # only in a corpus of both: where no document is in the question's language, dense
            # search over all of them already is over the other language's
            mixed = mode == "hybrid" and s.other_language_slots and query.lang in self.document_langs
            others = sorted(self.document_langs - {query.lang}) if mixed else []
            rankings["dense"] = self.stored.dense.search(vector, n, query.lang)
            # each other language's nearest passages, searched among that language's alone (faiss
            # and Milvus filter while they search)
            for other in others:
                rankings[f"dense:{other}"] = self.stored.dense.search(
                    vector, n, query.lang, among=self.documents.passages_in(other), language=other)
        # where the question's own words cannot match, the glossary list is the only lexical one and
        # speaks for the translated part only (measured on XQuAD: full weight outvotes dense)
        glossary = s.glossary_weight * (self.glossary_share(query) if own < 1 else 1.0)
        weights = {"bm25": s.bm25_weight * own, "glossary": glossary, "readings": s.reading_weight, "dense": self.dense_weight()}
        # the other languages' own lists do not vote: they are given slots (below)
        fused = reciprocal_rank_fusion({name: r for name, r in rankings.items() if not name.startswith("dense:")},
                                       weights=weights, k=s.rrf_k)
        evidence = self.documents.document_evidence if mode == "hybrid" else 0.0
        doc_weight, dense_doc_weight = s.document_weight * own * evidence, s.dense_document_weight * evidence
        if doc_weight > 0:
            fused = self._add_documents(fused, query, doc_weight)
        if dense_doc_weight > 0 and len(self.documents.whole):
            fused = self._add_dense_documents(fused, vector, query.lang, rankings["dense"], dense_doc_weight)
        for name, ranked in rankings.items():
            if not name.startswith("dense:"):
                continue
            if names_country(query.text, name.removeprefix("dense:")):
                fused = reserve(fused, name, [i for i, _ in ranked], s.named_country_slots)
            elif near_enough(ranked, rankings["dense"], s.other_language_gap):
                fused = reserve(fused, name, [i for i, _ in ranked], s.other_language_slots)
        fused = self._asked_fields(fused, query)
        raw = {name: dict(ranked) for name, ranked in rankings.items()}
        hits = [
            Hit(
                chunk=self.stored.chunks[i],
                score=score,
                ranks=ranks,
                scores={name: raw[name][i] for name in raw if i in raw[name]},
            )
            for i, score, ranks in fused[: max(k * 3, k + 10)]
        ]
        folded = fold_near_duplicates(
            hits, [_token_set(h.chunk.text) for h in hits], self.settings.near_duplicate_jaccard
        )
        return [replace(hit, also=_other_documents(hit, [c.chunk for c in copies])) for hit, copies in folded[:k]]

    def search_within(self, query: Query, doc_id: str, k: int = 10) -> list[Hit]:
        """The passages of one document ranked for ``query`` (a follow-up question about the
        document the chat was just answered from): its own words and the glossary's by BM25, and
        dense search, fused as ``search`` fuses them; [] for a document the index does not hold."""
        view, s = self.documents, self.settings
        if doc_id not in view.ids:
            return []
        members = np.asarray(view.passages[view.ids.index(doc_id)])
        rankings: dict[str, list[tuple[int, float]]] = {}
        for name, tokens in (("bm25", query.tokens), ("glossary", query.translated), ("readings", query.read_as)):
            scores = self.stored.lexical.scores(list(tokens), among=members) if tokens else None
            if scores is not None:
                rankings[name] = [(int(members[i]), v) for i, v in top_k(scores[members], s.candidates)]
        vector = self.embedder.embed_queries([query.dense_text])[0]
        rankings["dense"] = self.stored.dense.search(vector, s.candidates, query.lang, among=members)
        weights = {"bm25": s.bm25_weight, "glossary": s.glossary_weight, "readings": s.reading_weight,
                   "dense": self.dense_weight()}
        fused = self._asked_fields(reciprocal_rank_fusion(rankings, weights=weights, k=s.rrf_k), query)
        raw = {name: dict(ranked) for name, ranked in rankings.items()}
        return [Hit(chunk=self.stored.chunks[i], score=score, ranks=ranks,
                    scores={name: raw[name][i] for name in raw if i in raw[name]})
                for i, score, ranks in fused[:k]]

    def _asked_fields(self, fused: list[tuple[int, float, dict[str, int]]], query: Query) -> list[tuple[int, float, dict[str, int]]]:
        """``fused`` with each of its first documents' fields labelled for what the question asks
        moved up (or in) right after that document's first passage, with its score: the question
        names the procedure ("trợ cấp hàng tháng … mất bao lâu?"), so its words reach the title
        and conditions, rarely "Thời hạn giải quyết: 17 Ngày làm việc"."""
        s, view = self.settings, self.documents
        asks = query.question.asks
        if not asks or s.asked_field_documents <= 0:
            return fused
        out, seen, p = list(fused), set(), 0
        while p < len(out) and len(seen) < s.asked_field_documents:
            i, score, _ = out[p]
            d = int(view.of_passage[i])
            if d in seen:
                p += 1
                continue
            seen.add(d)
            if not is_record_text(self.stored.documents[view.ids[d]].text):
                p += 1
                continue
            fields = [int(j) for j in view.passages[d] if j != i and (section := self.stored.chunks[j].section)
                      and kinds_of_label(section[-1]) & asks][: s.asked_fields_per_document]
            where = {entry[0]: n for n, entry in enumerate(out)}
            moved = [(j, score, out[where[j]][2] if j in where else {}) for j in fields if where.get(j, p + 1) > p]
            out = [entry for entry in out if entry[0] not in {j for j, _, _ in moved}]
            out[p + 1 : p + 1] = moved
            p += 1 + len(moved)
        return out

    def _add_documents(self, fused, query: Query, weight: float):
        """Fold in BM25 over whole documents; a ranked document none of whose passages is a
        candidate enters with its passage of best BM25 score."""
        view = self.documents
        ranked = view.lexical.search(list(query.document_tokens), self.settings.candidates)

        def representatives(entering: list[int]) -> list[int]:
            # the passages of those documents alone are scored (one request to a remote index, not
            # a score for every passage of the corpus)
            members = [np.asarray(view.passages[d]) for d in entering]
            scores = self.stored.lexical.scores(list(query.tokens), among=np.concatenate(members))
            return [int(m[0]) if scores is None else int(m[np.argmax(scores[m])]) for m in members]

        fused = add_group_ranking(
            fused, "document", [d for d, _ in ranked], lambda i: int(view.of_passage[i]), representatives,
            weight=weight, k=self.settings.rrf_k,
        )
        # a clear lead is strong evidence that rank fusion flattens: a first rank counts the same
        # whether the next document scores half as much or nearly as much
        s = self.settings
        confidence = margin_confidence(ranked, s.document_confidence_margin)
        if confidence > 0 and s.document_confidence_weight > 0:
            top = ranked[0][0]
            fused = add_bonus(
                fused, "document_lead", lambda i: int(view.of_passage[i]) == top,
                weight=weight * s.document_confidence_weight * confidence, k=s.rrf_k,
            )
        return fused

    def _add_dense_documents(self, fused, vector: np.ndarray, lang: str, dense_ranked, weight: float):
        """Fold in dense search over whole documents: a document the model read whole is scored
        by its own vector, any other by its best passage among ``dense_ranked``. A ranked document
        none of whose passages is a candidate enters with its passage nearest the question."""
        view = self.documents
        q = self.stored.dense.centred(vector, lang)
        best = dict(zip(view.whole.tolist(), (view.whole_vectors @ q).tolist()))
        read_whole = set(best)
        for i, score in dense_ranked:
            d = int(view.of_passage[i])
            if d not in read_whole and score > best.get(d, -np.inf):
                best[d] = score
        ranked = sorted(best, key=best.__getitem__, reverse=True)[: self.settings.candidates]

        def nearest(d: int) -> int:
            members = view.passages[d]
            langs = [self.stored.documents[view.ids[d]].meta.lang] * len(members)
            return int(members[np.argmax(center(self.stored.vectors[members], langs, self.stored.dense.means) @ q)])

        return add_group_ranking(
            fused, "dense_document", ranked, lambda i: int(view.of_passage[i]), lambda entering: [nearest(d) for d in entering],
            weight=weight, k=self.settings.rrf_k,
        )


def near_enough(other: list[tuple[int, float]], own: list[tuple[int, float]], gap: float) -> bool:
    """Whether another language's nearest passage is within ``gap`` (centred cosine) of the nearest
    of all: the centred cosines of the two languages are comparable, so a near tie says the answer
    may well be in the other language."""
    return bool(other and own) and own[0][1] - other[0][1] <= gap


def reserve(fused: list[tuple[int, float, dict[str, int]]], name: str, ranked: list[int],
            slots: tuple[int, ...]) -> list[tuple[int, float, dict[str, int]]]:
    """``fused`` with the best of ``ranked`` not already above each slot moved or inserted at that
    slot (0-based), each taking the score of the entry it displaces: a few places for another
    language's passages that no list of the question's own language would rank, and no more."""
    out = list(fused)
    pending = iter(ranked)
    for slot in sorted(slots):
        if slot >= len(out) + 1:
            break
        above = {entry[0] for entry in out[:slot]}
        choice = next((i for i in pending if i not in above), None)
        if choice is None:
            break
        rank = ranked.index(choice) + 1
        existing = next((n for n, entry in enumerate(out) if entry[0] == choice), None)
        entry = out.pop(existing) if existing is not None else (choice, 0.0, {})
        score = out[slot][1] if slot < len(out) else entry[1]
        out.insert(slot, (choice, score, {**entry[2], name: rank}))
    return out


def _other_documents(hit: Hit, copies: list[Chunk]) -> list[Chunk]:
    """A hit's copies, the first one of each other document (a copy in its own document adds no
    document to name)."""
    out, seen = [], {hit.chunk.doc_id}
    for c in copies:
        if c.doc_id not in seen:
            seen.add(c.doc_id)
            out.append(c)
    return out


@lru_cache(maxsize=50_000)
def _token_set(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))

"""Question → ranked passages: BM25 and dense search, fused, near-duplicates removed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .config import Settings
from .embedding import Embedder
from .fusion import drop_near_duplicates, reciprocal_rank_fusion
from .lang import glossary, question_lang, vi
from .store import StoredIndex
from .tokenize import tokenize, tokenize_question
from .types import Hit

MODES = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Query:
    text: str  # as typed
    lang: str  # language to answer in
    tokens: tuple[str, ...]  # BM25 tokens (diacritics folded)
    dense_text: str  # what the embedding model sees: diacritics restored, glossary terms added
    translated: tuple[str, ...] = ()  # BM25 tokens of the question's terms in the other language
    translated_from: tuple[str, ...] = ()  # the question's own tokens that the glossary translated
    glossary_terms: tuple[str, ...] = ()  # those terms, as phrases


def prepare_query(text: str, restorer: vi.DiacriticRestorer | None) -> Query:
    text = " ".join(text.split())
    lang = question_lang(text)
    restored = text
    if lang == "vi" and restorer is not None and not vi.has_diacritics(text) and vi.looks_vietnamese(text):
        restored = restorer.restore(text)
    sources, terms = glossary.translate(restored, lang)
    dense_text = f"{restored} ({', '.join(terms)})" if terms else restored
    return Query(
        text,
        lang,
        tuple(tokenize_question(text)),
        dense_text,
        tuple(tokenize(" ".join(terms))),
        tuple(tokenize(" ".join(sources))),
        tuple(terms),
    )


class Retriever:
    """Searches one stored index; the embedding model is loaded on the first dense query."""

    def __init__(self, stored: StoredIndex, embedder: Embedder, settings: Settings):
        self.stored, self.embedder, self.settings = stored, embedder, settings

    def query(self, text: str) -> Query:
        return prepare_query(text, self.stored.restorer)

    def search(self, query: Query, k: int = 10, mode: str = "hybrid") -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"unknown retriever {mode!r}; choose one of {', '.join(MODES)}")
        n = self.settings.candidates
        rankings: dict[str, list[tuple[int, float]]] = {}
        if mode in ("bm25", "hybrid"):
            rankings["bm25"] = self.stored.lexical.search(list(query.tokens), n)
            if query.translated:
                # the question's terms in the other language reach passages it cannot match itself
                rankings["glossary"] = self.stored.lexical.search(list(query.translated), n)
        if mode in ("dense", "hybrid"):
            vector = self.embedder.embed_queries([query.dense_text])[0]
            rankings["dense"] = self.stored.dense.search(vector, n, query.lang)
        fused = reciprocal_rank_fusion(
            rankings,
            weights={
                "bm25": self.settings.bm25_weight,
                "glossary": self.settings.glossary_weight,
                "dense": self.settings.dense_weight,
            },
            k=self.settings.rrf_k,
        )
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
        hits = drop_near_duplicates(
            hits, [_token_set(h.chunk.text) for h in hits], self.settings.near_duplicate_jaccard
        )
        return hits[:k]


@lru_cache(maxsize=50_000)
def _token_set(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))

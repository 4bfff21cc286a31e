"""Retrieval sets that bring their own corpus (BEIR layout, ../shared/EVAL_FORMAT.md section 2).

The corpus is indexed with the product's own pipeline (chunking, BM25, e5, fusion) into a separate
index under ``<cache>/eval-indexes/<set>-<hash>``, where the hash covers the bytes of corpus.jsonl,
the index signature (model, chunk sizes, pipeline version) and the record → Document recipe below.
A second run with the same corpus and settings opens that index as it is; the bundled index is
never touched. Passage embeddings are cached by content (index/embcache.py), so even a rebuild
after a pipeline change does not embed an unchanged passage again.

Metrics are per *document*: the engine ranks passages, which are mapped to their corpus ``_id``
at the first (best) passage of each; a passage's copies in other documents (near-duplicates the
engine folds into it and names in its citation) follow its own document, in their fused order.
hit@k, MRR@10 and nDCG@10 (graded qrels) are computed over the first 10 distinct documents.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from index import store
from index.build import build_index
from index.config import Settings
from index.embedding import Embedder
from index.engine import Engine
from index.lang import question_lang
from index.metadata import detect_lang
from index.retrieve import Retriever
from index.types import DocMeta, Document, Hit

from .datasets import BeirSet, load_beir, normalize
from .memo import QueryMemo, prefetch_questions
from .metrics import answer_correct, first_relevant_rank, ndcg_at_10, rank_scores

# Bump when corpus_documents() changes what a record becomes: cached evaluation indexes are rebuilt.
RECIPE_VERSION = 1
PASSAGES_FETCHED = 50  # passages asked for, to fill the first DOCS_KEPT distinct documents
DOCS_KEPT = 10
DEEPER_CANDIDATES = 300  # when 50 passages hold fewer than 10 documents: search this deep to fill
# Answers an extractive system cannot quote (a verdict on a statement): not scored for answer_acc.
VERDICTS = {"đúng", "sai", "true", "false", "yes", "no", "có", "không", "对", "错", "是", "否", "正确", "错误"}


def corpus_hash(folder: Path) -> str:
    h = hashlib.sha256()
    with open(Path(folder) / "corpus.jsonl", "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cached_index_dir(name: str, key: dict, settings: Settings) -> Path:
    """``<cache>/eval-indexes/<name>-<hash of key and the index signature>``: an evaluation corpus's
    own index, apart from the bundled one; other settings (model, chunking, pipeline) get another."""
    text = json.dumps(key | {"signature": settings.index_signature()}, sort_keys=True)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Path(settings.cache_dir) / "eval-indexes" / f"{name}-{digest}"


def index_dir_for(folder: Path, settings: Settings) -> Path:
    """``<cache>/eval-indexes/<set name>-<hash of corpus bytes, index signature, recipe>``."""
    folder = Path(folder)
    return cached_index_dir(folder.resolve().name, {"corpus": corpus_hash(folder), "recipe": RECIPE_VERSION}, settings)


def record_document(record: dict) -> Document:
    """One corpus record → Document: id = ``_id``; text = title and text; language from the script."""
    title = (record.get("title") or "").strip()
    body = (record.get("text") or "").strip()
    text = f"{title}\n{body}" if title else body
    doc_id = str(record["_id"])
    return Document(
        doc_id=doc_id,
        text=text,
        meta=DocMeta(title=title, lang=detect_lang(text)),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def corpus_documents(corpus: list[dict]) -> Iterator[tuple[Path, Document]]:
    for record in corpus:
        if (record.get("text") or record.get("title") or "").strip():
            yield Path(str(record["_id"]).replace("/", "_")), record_document(record)


def open_index(
    beir: BeirSet, folder: Path, settings: Settings, *, embedder: Embedder | None = None, progress: bool = True
) -> Engine:
    """An engine over the set's own corpus: the cached index when there is one, else built now."""
    index_dir = index_dir_for(folder, settings)
    embedder = embedder or Embedder.from_settings(settings)
    memo = embedder if isinstance(embedder, QueryMemo) else QueryMemo(embedder)
    engine = Engine(settings.with_(index_dir=index_dir, corpus_dir=Path(folder)), embedder=memo)  # type: ignore[arg-type]
    try:
        engine.reload()
    except (store.IndexMissingError, store.IndexMismatchError):
        build_index(engine.settings, embedder=engine.embedder, source=corpus_documents(beir.corpus), progress=progress)
        engine.reload()
    return engine


def accepted_answers(query: dict) -> tuple[str, ...]:
    """What counts as a correct answer: ``answers``, else ``answer`` (a choice letter stands for
    the choice's text); verdicts ("Đúng"/"Sai") are not quotable and give none."""
    answers = query.get("answers")
    if answers is None and query.get("answer") is not None:
        answers = [query["answer"]]
    if isinstance(answers, str):
        answers = [answers]
    choices = query.get("choices") if isinstance(query.get("choices"), dict) else {}
    out = []
    for a in answers or ():
        a = str(choices.get(a, a)).strip()
        if a and a.lower() not in VERDICTS:
            out.append(a)
    return tuple(out)


def text_copies(corpus: list[dict]) -> dict[str, str]:
    """Document id → key of its normalized ``text``, for documents whose text another one repeats
    (a statute article in both the law and its consolidated version, under two ids)."""
    keys = {str(d["_id"]): hashlib.sha1(normalize(d.get("text") or "").encode("utf-8")).hexdigest() for d in corpus}
    counts: dict[str, int] = {}
    for k in keys.values():
        counts[k] = counts.get(k, 0) + 1
    return {d: k for d, k in keys.items() if counts[k] > 1}


def has_answers(beir: BeirSet) -> bool:
    return any("answer" in q or "answers" in q for q in beir.queries.values())


def _fill(engine: Engine, question: str, mode: str, hits: list[Hit]) -> list[Hit]:
    """More passages (searching deeper) when ``hits`` hold fewer than DOCS_KEPT documents (none
    when the engine found nothing to search for)."""
    if not hits or len(best_per_document(hits)) >= DOCS_KEPT:
        return hits
    deeper = Retriever(engine.index, engine.embedder, engine.settings.with_(candidates=DEEPER_CANDIDATES))
    limit = getattr(engine.settings, "max_question_chars", None)  # as Engine.ask
    more = deeper.search(deeper.query(question[:limit]), k=DEEPER_CANDIDATES, mode=mode)
    seen = {c.doc_id for h in hits for c in (h.chunk, *h.also)}
    return hits + [h for h in more if h.chunk.doc_id not in seen]


def best_per_document(hits: list[Hit], n: int = DOCS_KEPT) -> list[Hit]:
    """The first (best-ranked) passage of each document, for the first ``n`` documents. A hit's
    copies in other documents are shown with it, so their documents come right after its own
    (at its score)."""
    out: list[Hit] = []
    seen: set[str] = set()
    for h in hits:
        for chunk in (h.chunk, *h.also):
            if chunk.doc_id not in seen:
                seen.add(chunk.doc_id)
                out.append(h if chunk is h.chunk else Hit(chunk, h.score))
                if len(out) == n:
                    return out
    return out


def run_beir(
    engine: Engine, beir: BeirSet, *, retriever: str = "hybrid", progress: bool = True
) -> tuple[list[dict], list[dict]]:
    """(per-question score rows, result records) for a BEIR set over its own index."""
    doc_lang = {d: doc.meta.lang for d, doc in engine.index.documents.items()}
    if retriever != "bm25":
        prefetch_questions(engine, [str(q.get("text", "")) for q in beir.queries.values()], progress=progress)
    score_answers = has_answers(beir)
    copies = text_copies(beir.corpus)
    rows, results = [], []
    for qid, q in tqdm(beir.queries.items(), desc=f"Asking ({retriever})", unit="q", disable=not progress):
        question = str(q.get("text", ""))
        grades = beir.qrels.get(qid, {})
        relevant = {d for d, g in grades.items() if g > 0}
        answer = engine.ask(question, k=PASSAGES_FETCHED, mode=retriever)
        hits = _fill(engine, question, retriever, answer.hits)
        top = best_per_document(hits)
        ranked = [h.chunk.doc_id for h in top]
        rank = first_relevant_rank(ranked, relevant)
        copy_keys = {copies[d] for d in relevant if d in copies}
        rank_copies = first_relevant_rank(ranked, relevant | {d for d in ranked if copies.get(d) in copy_keys})
        scores = rank_scores(rank)
        scores["ndcg@10"] = ndcg_at_10(ranked, grades)
        accepted = accepted_answers(q) if score_answers else ()
        scores["answer_acc"] = float(answer.found and answer_correct(answer.text, accepted)) if accepted else None
        lang = q.get("lang") or question_lang(question)
        gold = max(sorted(relevant), key=lambda d: grades[d], default=None)
        rows.append(
            {
                "id": qid,
                "lang": lang,
                "type": q.get("type") or q.get("question_type") or answer.qtype,
                "cross_lingual": bool(gold and doc_lang.get(gold) and doc_lang[gold] != lang),
                "answerable": bool(relevant),
                "found": answer.found,
                "rank": rank,
                "rank_with_copies": rank_copies,  # an identical-text copy of a relevant document counts
                "scores": scores,
            }
        )
        results.append(
            {
                "id": qid,
                "question": question,
                "found": answer.found,
                "answer": answer.text if answer.found else "",
                "passages": [
                    {"source": h.chunk.doc_id, "section": h.chunk.section_path, "text": h.chunk.text, "score": round(h.score, 6)}
                    for h in top
                ],
            }
        )
    return rows, results


def _within_10(rank: int | None) -> bool:
    return rank is not None and rank <= 10


def copies_note(beir: BeirSet, rows_by_retriever: dict[str, list[dict]]) -> str | None:
    """When the corpus repeats texts under several ids: the figures with copies counted as relevant."""
    copies = text_copies(beir.corpus)
    if not copies:
        return None
    figures = []
    for retriever, rows in rows_by_retriever.items():
        answerable = [r for r in rows if r["answerable"]]
        ranks = [r["rank_with_copies"] for r in answerable]
        hit10 = sum(rk is not None and rk <= 10 for rk in ranks) / max(1, len(ranks))
        mrr = sum(1 / rk for rk in ranks if rk is not None and rk <= 10) / max(1, len(ranks))
        misses = [r for r in answerable if not _within_10(r["rank"])]
        by_copy = sum(_within_10(r["rank_with_copies"]) for r in misses)
        figures.append(
            f"{retriever} hit@10 {hit10:.3f}, mrr@10 {mrr:.3f} ({by_copy} of its {len(misses)} misses@10 "
            "hold a copy of a relevant document instead)"
        )
    return (
        f"{len(copies)} corpus documents repeat another one's text under a different id and the qrels name "
        "one; the engine shows a near-duplicate passage once and ranks its other documents right after it. "
        "Counting an identical copy of a relevant document as relevant (not in metrics.json): "
        + "; ".join(figures) + "."
    )


def run_set(
    folder: Path,
    settings: Settings,
    retrievers: list[str],
    *,
    split: str | None = None,
    embedder: Embedder | None = None,
    progress: bool = True,
) -> tuple[dict[str, list[dict]], dict[str, list[dict]], list[str], dict[str, float]]:
    """Rows and result records per retriever, notes for the report, and seconds per step."""
    t = time.perf_counter()
    beir = load_beir(folder, split)
    engine = open_index(beir, folder, settings, embedder=embedder, progress=progress)
    seconds = {"index": time.perf_counter() - t}
    stored = engine.index
    notes = [
        f"Corpus: {len(stored.documents)} documents in {len(stored.chunks)} passages, indexed apart at "
        f"`{engine.settings.index_dir}`. Split: `{beir.split}`. Figures per document (best passage of each)."
    ]
    if not has_answers(beir):
        notes.append("The queries carry no `answer`/`answers`: answer_acc is not measured (–).")
    if not any(q.get("type") or q.get("question_type") for q in beir.queries.values()):
        notes.append("The queries carry no type: `type=` groups are the engine's own question classes.")
    rows: dict[str, list[dict]] = {}
    results: dict[str, list[dict]] = {}
    for retriever in retrievers:
        t = time.perf_counter()
        rows[retriever], results[retriever] = run_beir(engine, beir, retriever=retriever, progress=progress)
        seconds[retriever] = time.perf_counter() - t
    if note := copies_note(beir, rows):
        notes.append(note)
    return rows, results, notes, seconds

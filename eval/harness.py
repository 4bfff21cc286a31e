"""Run an evaluation set through the engine and write metrics.json, results.jsonl and report.md.

``evaluate(dataset, out, settings=…, retrievers=[…])`` takes either kind of set of
../shared/EVAL_FORMAT.md: a QA JSONL file over the engine's own corpus, or a BEIR folder with its
own corpus (indexed apart, see eval/beir.py); and a QA set that brings a corpus builder (a folder
of questions.jsonl and make_corpus.py, corpus built and indexed apart, see eval/corpus_set.py).
Every question is asked once per retriever.

Outputs in ``out``:
- ``metrics.json``: the main retriever's figures (hybrid when it ran, else the only one) under the
  EVAL_FORMAT keys, plus ``monolingual`` and, when several retrievers ran, ``retrievers``
  holding each retriever's figures in the same shape;
- ``results.jsonl`` for the main retriever, ``results.<retriever>.jsonl`` for the others;
- ``report.md`` with one side-by-side table, and ``hitk.png`` (hit@k curves) linked from it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tqdm import tqdm

from index.config import Settings
from index.embedding import Embedder
from index.engine import Engine
from index.render import answer_record

from . import beir as beir_mod
from . import corpus_set
from .datasets import CORPUS_BUILDER, QUESTIONS_FILE, QAItem, is_beir, is_corpus_set, load_qa
from .memo import QueryMemo, prefetch_questions
from .metrics import BEIR_KEYS, QA_KEYS, abstain_auc, answer_correct, first_hit_rank, grouped, rank_scores
from .report import write_report

PASSAGES_KEPT = 10
RETRIEVERS = ("bm25", "dense", "hybrid")
MAIN_RETRIEVER = "hybrid"


def run_qa(engine: Engine, items: list[QAItem], *, retriever: str = "hybrid", progress: bool = True) -> tuple[list[dict], list[dict]]:
    """(per-question score rows, result records) for a QA set over the engine's corpus."""
    rows, results = [], []
    if retriever != "bm25":
        prefetch_questions(engine, [item.question for item in items], progress=progress)
    for item in tqdm(items, desc=f"Asking ({retriever})", unit="q", disable=not progress):
        answer = engine.ask(item.question, k=PASSAGES_KEPT, mode=retriever)
        record = answer_record(answer, item.id)
        rank = None
        scores: dict = {}
        if item.answerable:
            rank = first_hit_rank([p["text"] for p in record["passages"]], item.evidence)
            scores = rank_scores(rank)
            scores["doc_recall@5"] = float(item.source in [p["source"] for p in record["passages"][:5]])
            scores["answer_acc"] = float(answer.found and answer_correct(answer.text, item.answers))
        rows.append(
            {
                "id": item.id,
                "lang": item.lang,
                "type": item.type,
                "cross_lingual": item.cross_lingual,
                "answerable": item.answerable,
                "found": answer.found,
                "evidence": answer.evidence,
                "rank": rank,
                "scores": scores,
            }
        )
        results.append(
            {k: record[k] for k in ("id", "question", "found", "answer", "passages")}
            | {k: record[k] for k in ("type", "lang", "citations") if k in record}
        )
    return rows, results


def open_engine(settings: Settings, *, embedder: Embedder | None = None, progress: bool = True) -> Engine:
    """The engine over ``settings``' corpus, building its index first when there is none (or when
    another version of policyqa wrote it)."""
    memo = embedder if isinstance(embedder, QueryMemo) else QueryMemo(embedder or Embedder.from_settings(settings))
    return Engine.open(settings, build_if_missing=True, progress=progress, embedder=memo)  # type: ignore[arg-type]


def open_corpus_set(
    folder: Path, settings: Settings, *, embedder: Embedder | None = None, progress: bool = True
) -> tuple[Engine, str]:
    """An engine over a corpus set's own corpus and index (both built and cached on first use),
    and the report's note saying where they are."""
    engine = open_engine(corpus_set.settings_for(folder, settings), embedder=embedder, progress=progress)
    stored = engine.index
    note = (
        f"Corpus: written by the set's `{CORPUS_BUILDER}` into `{engine.settings.corpus_dir}`, "
        f"{len(stored.documents)} documents in {len(stored.chunks)} passages, indexed apart at `{engine.settings.index_dir}`."
    )
    return engine, note


def main_retriever(retrievers: list[str]) -> str:
    return MAIN_RETRIEVER if MAIN_RETRIEVER in retrievers else retrievers[0]


def results_name(retriever: str, main: str) -> str:
    return "results.jsonl" if retriever == main else f"results.{retriever}.jsonl"


def _write_jsonl(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_outputs(
    out: Path,
    dataset: str,
    metrics: dict[str, dict],
    rows: dict[str, list[dict]],
    results: dict[str, list[dict]],
    *,
    notes: list[str] | None = None,
) -> dict:
    """metrics.json, results*.jsonl, report.md and hitk.png; returns what metrics.json holds."""
    out.mkdir(parents=True, exist_ok=True)
    main = main_retriever(list(metrics))
    order = [main] + [r for r in metrics if r != main]
    for retriever in order:
        _write_jsonl(out / results_name(retriever, main), results[retriever])
    top = dict(metrics[main])
    if len(order) > 1:
        top["retrievers"] = {r: metrics[r] for r in order}
    (out / "metrics.json").write_text(json.dumps(top, ensure_ascii=False, indent=1), "utf-8")
    write_report(out, dataset, {r: metrics[r] for r in order}, {r: rows[r] for r in order}, notes=notes)
    return top


def _metrics(dataset: str, retriever: str, rows: list[dict], keys: tuple[str, ...], **extra) -> dict:
    return {"dataset": dataset, "retriever": retriever, "n": len(rows), **grouped(rows, keys), **extra}


def evaluate(
    dataset: Path,
    out: Path,
    *,
    settings: Settings | None = None,
    retrievers: list[str] | tuple[str, ...] = (MAIN_RETRIEVER,),
    split: str | None = None,
    engine: Engine | None = None,
    embedder: Embedder | None = None,
    progress: bool = True,
) -> dict:
    """Evaluate one set with each retriever, write the outputs; returns what metrics.json holds.

    For a QA file, ``engine`` (or one opened on ``settings``) answers over its corpus; for a BEIR
    folder or a corpus set, an engine over the set's own corpus is opened (built and cached on
    first use), sharing ``engine``'s embedder.
    """
    dataset = Path(dataset)
    settings = settings or (engine.settings if engine else Settings())
    retrievers = list(retrievers)
    notes: list[str] = []
    rows: dict[str, list[dict]] = {}
    results: dict[str, list[dict]] = {}
    seconds: dict[str, float] = {}
    if is_beir(dataset):
        keys = BEIR_KEYS
        rows, results, notes, seconds = beir_mod.run_set(
            dataset, settings, retrievers, split=split,
            embedder=embedder or (engine.embedder if engine else None), progress=progress,
        )
    else:
        keys = QA_KEYS
        if is_corpus_set(dataset):
            t = time.perf_counter()
            engine, note = open_corpus_set(
                dataset, settings, embedder=embedder or (engine.embedder if engine else None), progress=progress
            )
            seconds["index"] = time.perf_counter() - t
            notes.append(note)
            items = load_qa(dataset / QUESTIONS_FILE)
        else:
            items = load_qa(dataset)
            engine = engine or open_engine(settings, embedder=embedder, progress=progress)
        for retriever in retrievers:
            t = time.perf_counter()
            rows[retriever], results[retriever] = run_qa(engine, items, retriever=retriever, progress=progress)
            seconds[retriever] = time.perf_counter() - t
    notes.append("Time: " + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()) + ".")
    extra = {r: {"abstain_auc": abstain_auc(rows[r])} if keys is QA_KEYS else {} for r in retrievers}
    metrics = {r: _metrics(str(dataset), r, rows[r], keys, **extra[r]) for r in retrievers}
    if aucs := {r: e["abstain_auc"] for r, e in extra.items() if e.get("abstain_auc") is not None}:
        notes.append("abstain_auc: " + ", ".join(f"{r} {v:.3f}" for r, v in aucs.items()) + ".")
    return write_outputs(Path(out), str(dataset), metrics, rows, results, notes=notes)


def summary_lines(top: dict) -> list[str]:
    """One line per retriever for the terminal."""
    by_retriever = top.get("retrievers") or {top["retriever"]: top}
    lines = []
    for retriever, m in by_retriever.items():
        o = m["overall"]
        keys = ("hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10", "answer_acc", "abstain_ok", "false_abstain")
        figures = ", ".join(f"{k} {o[k]:.3f}" for k in keys if o.get(k) is not None)
        if m.get("abstain_auc") is not None:
            figures += f", abstain_auc {m['abstain_auc']:.3f}"
        lines.append(f"{retriever:>6}: n={o['n']}  {figures}")
    return lines

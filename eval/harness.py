"""Run an evaluation set through the engine and write metrics.json, results.jsonl and report.md."""

from __future__ import annotations

import json
from pathlib import Path

from tqdm import tqdm

from index.engine import Engine
from index.render import answer_record

from .datasets import QAItem, load_qa
from .metrics import answer_correct, first_hit_rank, grouped, rank_scores
from .report import write_report

PASSAGES_KEPT = 10


def run_qa(engine: Engine, items: list[QAItem], *, retriever: str = "hybrid", progress: bool = True) -> tuple[list[dict], list[dict]]:
    """(per-question score rows, result records) for a QA set over the engine's corpus."""
    rows, results = [], []
    for item in tqdm(items, desc=f"Asking ({retriever})", unit="q", disable=not progress):
        answer = engine.ask(item.question, k=PASSAGES_KEPT, mode=retriever)
        record = answer_record(answer, item.id)
        passages = [p["text"] for p in record["passages"]]
        scores = {}
        if item.answerable:
            scores = rank_scores(first_hit_rank(passages, item.evidence))
            sources = [p["source"] for p in record["passages"][:5]]
            scores["doc_recall@5"] = float(item.source in sources)
            scores["answer_acc"] = float(answer.found and answer_correct(answer.text, item.answers))
        rows.append(
            {
                "id": item.id,
                "lang": item.lang,
                "type": item.type,
                "cross_lingual": item.cross_lingual,
                "answerable": item.answerable,
                "found": answer.found,
                "scores": scores,
            }
        )
        results.append(record)
    return rows, results


def evaluate_qa(
    engine: Engine, dataset: Path, out: Path, *, retrievers: list[str], progress: bool = True
) -> dict[str, dict]:
    """Evaluate a QA JSONL set with each retriever; writes the three files; returns metrics per retriever."""
    items = load_qa(dataset)
    out.mkdir(parents=True, exist_ok=True)
    all_metrics: dict[str, dict] = {}
    for retriever in retrievers:
        rows, results = run_qa(engine, items, retriever=retriever, progress=progress)
        metrics = {"dataset": str(dataset), "retriever": retriever, "n": len(items), **grouped(rows)}
        all_metrics[retriever] = metrics
        suffix = "" if len(retrievers) == 1 else f".{retriever}"
        with open(out / f"results{suffix}.jsonl", "w", encoding="utf-8") as f:
            for record in results:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    main = all_metrics[retrievers[-1] if "hybrid" not in all_metrics else "hybrid"]
    if len(retrievers) > 1:
        main = {**main, "retrievers": all_metrics}
    (out / "metrics.json").write_text(json.dumps(main, ensure_ascii=False, indent=1), "utf-8")
    write_report(out, str(dataset), all_metrics)
    return all_metrics

"""metrics → report.md: the same figures as tables a reader can take in at a glance, and the plot."""

from __future__ import annotations

import json
from pathlib import Path

from .metrics import groups_of
from .plot import write_hitk_plot

COLUMNS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10", "doc_recall@5", "answer_acc", "abstain_ok", "false_abstain")
LOWER_IS_BETTER = {"false_abstain"}

MEANINGS = """\
hit@k: some passage among the first k holds an evidence string (QA set) or comes from a relevant
document (BEIR set; passages mapped to their document, first 10 distinct documents). mrr@10: 1/rank
of the first hit. ndcg@10: graded qrels (BEIR). doc_recall@5: a passage among the first 5 comes from
the gold document (QA). answer_acc: the direct answer (≤ 400 characters) contains an accepted answer.
These are means over answerable questions (column "ans."). abstain_ok: share of unanswerable
questions where the system said it found nothing; false_abstain: share of answerable ones where it
wrongly did (lower is better). abstain_auc (in the notes above, whole set): how well the evidence
model's probability tells the answerable questions from the unanswerable ones whatever the
threshold (ROC AUC: 1 is perfect, 0.5 chance). "–": no question behind the figure. Definitions:
../shared/EVAL_FORMAT.md."""


def _fmt(v) -> str:
    return "–" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def _group_metrics(m: dict, label: str) -> dict | None:
    if label == "overall":
        return m["overall"]
    if label.startswith("lang="):
        return m["by_lang"].get(label[5:])
    if label.startswith("type="):
        return m["by_type"].get(label[5:])
    return {"cross-lingual": m.get("cross_lingual"), "monolingual": m.get("monolingual")}.get(label)


def side_by_side(by_retriever: dict[str, dict], rows_by_retriever: dict[str, list[dict]]) -> list[str]:
    """One table: each group, each retriever, every figure; the best retriever's figure in bold."""
    first = next(iter(by_retriever.values()))
    cols = [c for c in COLUMNS if c in first["overall"] and any(m["overall"].get(c) is not None for m in by_retriever.values())]
    groups = groups_of(next(iter(rows_by_retriever.values())))
    lines = [
        "| group | n | ans. | retriever | " + " | ".join(cols) + " |",
        "|---|---:|---:|---|" + "---:|" * len(cols),
    ]
    for label, rows in groups.items():
        if not rows:
            continue
        answerable = sum(r["answerable"] for r in rows)
        figures = {r: _group_metrics(m, label) or {} for r, m in by_retriever.items()}
        best = {}
        for c in cols:
            vals = [f.get(c) for f in figures.values() if f.get(c) is not None]
            if len(by_retriever) > 1 and vals and len(set(vals)) > 1:
                best[c] = min(vals) if c in LOWER_IS_BETTER else max(vals)
        for i, (retriever, f) in enumerate(figures.items()):
            cells = []
            for c in cols:
                v = f.get(c)
                cells.append(f"**{_fmt(v)}**" if c in best and v == best[c] else _fmt(v))
            head = f"| {label} | {len(rows)} | {answerable} |" if i == 0 else "| | | |"
            lines.append(f"{head} {retriever} | " + " | ".join(cells) + " |")
    return lines


def write_report(
    out: Path,
    dataset: str,
    by_retriever: dict[str, dict],
    rows_by_retriever: dict[str, list[dict]],
    *,
    notes: list[str] | None = None,
) -> Path:
    """report.md and hitk.png in ``out``."""
    out = Path(out)
    main = next(iter(by_retriever.values()))
    plot = write_hitk_plot(out / "hitk.png", Path(dataset).name, rows_by_retriever)
    lines = [f"# Evaluation: {dataset}", ""]
    lines.append(f"Questions: {main['n']}. Retrievers: {', '.join(by_retriever)}.")
    lines += [f"{note}" for note in notes or ()]
    lines += ["", "## Figures, retrievers side by side", ""]
    lines += side_by_side(by_retriever, rows_by_retriever)
    lines += ["", "## hit@k curves", "", f"![hit@k for k = 1..10, per retriever]({plot.name})", ""]
    lines += ["## What the figures mean", "", MEANINGS, ""]
    outputs = ["metrics.json", "results.jsonl"] + [f"results.{r}.jsonl" for r in list(by_retriever)[1:]]
    lines += ["Files beside this report: " + ", ".join(f"`{f}`" for f in outputs) + f", `{plot.name}`."]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


TARGETS = {  # the targets on the external dev sets: (metric, at least)
    "ncpqa_zh_policy": (("hit@10", 0.99), ("mrr@10", 0.92)),
    "alqac_vi_legal": (("hit@10", 0.97), ("mrr@10", 0.80)),
    "msgabench_zh_gov_qa": (("hit@10", 0.92),),
    "xquad_vi2zh": (("hit@10", 0.95), ("mrr@10", 0.80)),
    "xquad_zh2vi": (("hit@10", 0.95), ("mrr@10", 0.80)),
}


def runs_table(metrics_files: list[Path]) -> str:
    """Markdown table of several runs' metrics.json (every retriever of each), targets marked ✓/✗."""
    cols = ("hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10", "answer_acc")
    lines = ["| dataset | retriever | n | " + " | ".join(cols) + " | target (hybrid) |", "|---|---|---:|" + "---:|" * len(cols) + "---|"]
    for path in metrics_files:
        top = json.loads(Path(path).read_text("utf-8"))
        name = Path(top["dataset"]).name
        for retriever, m in (top.get("retrievers") or {top["retriever"]: top}).items():
            o = m["overall"]
            target = ""
            if retriever == top["retriever"] and name in TARGETS:
                target = ", ".join(
                    f"{k} ≥ {t} {'✓' if (o.get(k) or 0) >= t else '✗'}" for k, t in TARGETS[name]
                )
            lines.append(f"| {name} | {retriever} | {o['n']} | " + " | ".join(_fmt(o.get(c)) for c in cols) + f" | {target} |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m eval.report eval/runs/*/metrics.json
    import sys

    print(runs_table([Path(p) for p in sys.argv[1:]]))

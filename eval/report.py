"""metrics → report.md: the same figures as tables a reader can take in at a glance."""

from __future__ import annotations

from pathlib import Path

COLUMNS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10", "doc_recall@5", "answer_acc", "abstain_ok", "false_abstain")


def _fmt(v) -> str:
    return "–" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def _table(groups: dict[str, dict], label: str) -> list[str]:
    cols = [c for c in COLUMNS if any(c in g for g in groups.values())]
    lines = [f"| {label} | n | " + " | ".join(cols) + " |", "|---|---:|" + "---:|" * len(cols)]
    for name, g in groups.items():
        lines.append(f"| {name} | {g.get('n', 0)} | " + " | ".join(_fmt(g.get(c)) for c in cols) + " |")
    return lines


def write_report(out: Path, dataset: str, by_retriever: dict[str, dict]) -> None:
    lines = [f"# Evaluation: {dataset}", ""]
    lines += ["## Retrievers side by side (overall)", ""]
    lines += _table({r: m["overall"] for r, m in by_retriever.items()}, "retriever")
    for retriever, m in by_retriever.items():
        lines += ["", f"## {retriever}", ""]
        groups = {"overall": m["overall"]}
        groups.update({f"lang={k}": v for k, v in m.get("by_lang", {}).items()})
        groups.update({f"type={k}": v for k, v in m.get("by_type", {}).items()})
        if m.get("cross_lingual", {}).get("n"):
            groups["cross-lingual"] = m["cross_lingual"]
        if m.get("monolingual", {}).get("n"):
            groups["monolingual"] = m["monolingual"]
        lines += _table(groups, "group")
    (out / "report.md").write_text("\n".join(lines) + "\n", "utf-8")

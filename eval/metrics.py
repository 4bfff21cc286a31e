"""Per-question scores and their means by group, as ../shared/EVAL_FORMAT.md defines them."""

from __future__ import annotations

import math
from collections import defaultdict

from .datasets import normalize

KS = (1, 3, 5, 10)


def first_hit_rank(passages: list[str], evidence: tuple[str, ...]) -> int | None:
    """1-based rank of the first passage containing an evidence string."""
    ev = [normalize(e) for e in evidence]
    for rank, text in enumerate(passages, start=1):
        t = normalize(text)
        if any(e in t for e in ev):
            return rank
    return None


def ndcg_at_10(ranked_ids: list[str], grades: dict[str, int]) -> float:
    dcg = sum(grades.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked_ids[:10]))
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def rank_scores(rank: int | None) -> dict[str, float]:
    scores = {f"hit@{k}": float(rank is not None and rank <= k) for k in KS}
    scores["mrr@10"] = 1.0 / rank if rank is not None and rank <= 10 else 0.0
    return scores


def answer_correct(answer: str, answers: tuple[str, ...]) -> bool:
    text = normalize(answer[:400])
    return any(normalize(a) in text for a in answers)


def aggregate(rows: list[dict]) -> dict:
    """Means over rows: retrieval/answer metrics over answerable rows, abstention over both kinds."""
    answerable = [r for r in rows if r["answerable"]]
    out: dict = {"n": len(rows)}
    keys = sorted({k for r in answerable for k in r["scores"]})
    for k in keys:
        vals = [r["scores"][k] for r in answerable if k in r["scores"]]
        out[k] = round(sum(vals) / len(vals), 4) if vals else None
    unanswerable = [r for r in rows if not r["answerable"]]
    if unanswerable and "found" in unanswerable[0]:
        out["abstain_ok"] = round(sum(not r["found"] for r in unanswerable) / len(unanswerable), 4)
    if answerable and "found" in answerable[0]:
        out["false_abstain"] = round(sum(not r["found"] for r in answerable) / len(answerable), 4)
    out["n_answerable"] = len(answerable)
    return out


def grouped(rows: list[dict]) -> dict:
    """Overall figures, and by language, by question type, and for the cross-lingual subset."""
    by: dict[str, dict[str, list[dict]]] = {"by_lang": defaultdict(list), "by_type": defaultdict(list)}
    for r in rows:
        by["by_lang"][r["lang"]].append(r)
        by["by_type"][r["type"]].append(r)
    result = {"overall": aggregate(rows)}
    for name, groups in by.items():
        result[name] = {g: aggregate(rs) for g, rs in sorted(groups.items()) if g}
    xl = [r for r in rows if r.get("cross_lingual")]
    result["cross_lingual"] = aggregate(xl) if xl else {"n": 0}
    mono = [r for r in rows if not r.get("cross_lingual")]
    result["monolingual"] = aggregate(mono) if mono else {"n": 0}
    return result

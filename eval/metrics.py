"""Per-question scores and their means by group, as ../shared/EVAL_FORMAT.md defines them.

A question is scored once into a *row*: its language, type, whether it is cross-lingual and
answerable, whether the engine found an answer, the 1-based rank of its first hit (passage with
an evidence string for a QA set, passage of a relevant document for a BEIR set) and its other
scores. `grouped(rows)` turns rows into the figures of metrics.json: overall, by language, by
type, cross-lingual (and monolingual beside them), each group holding ``n`` and exactly the
EVAL_FORMAT keys, ``None`` where a figure has no question behind it.
"""

from __future__ import annotations

import math
from collections import defaultdict

from .datasets import normalize

KS = (1, 3, 5, 10)
CURVE_KS = tuple(range(1, 11))  # hit@k curves in the plot
QA_KEYS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "doc_recall@5", "answer_acc", "abstain_ok", "false_abstain")
BEIR_KEYS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10", "answer_acc", "abstain_ok", "false_abstain")


def first_hit_rank(passages: list[str], evidence: tuple[str, ...]) -> int | None:
    """1-based rank of the first passage containing an evidence string (normalized text)."""
    ev = [e for e in (normalize(e) for e in evidence) if e]
    for rank, text in enumerate(passages, start=1):
        t = normalize(text)
        if any(e in t for e in ev):
            return rank
    return None


def first_relevant_rank(ranked_ids: list[str], relevant) -> int | None:
    """1-based rank of the first id in ``relevant`` (a BEIR document with a positive grade)."""
    for rank, doc_id in enumerate(ranked_ids, start=1):
        if doc_id in relevant:
            return rank
    return None


def distinct_documents(sources: list[str]) -> list[str]:
    """Ranked passages' documents → ranked documents, each at its first (best) occurrence."""
    return list(dict.fromkeys(sources))


def ndcg_at_10(ranked_ids: list[str], grades: dict[str, int]) -> float:
    """nDCG@10 with graded relevance (linear gains): DCG of the ranking / DCG of the ideal one."""
    ranked_ids = distinct_documents(ranked_ids)
    dcg = sum(grades.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked_ids[:10]))
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def rank_scores(rank: int | None) -> dict[str, float]:
    """hit@1/3/5/10 and MRR@10 of one question from the rank of its first hit."""
    scores = {f"hit@{k}": float(rank is not None and rank <= k) for k in KS}
    scores["mrr@10"] = 1.0 / rank if rank is not None and rank <= 10 else 0.0
    return scores


def answer_correct(answer: str, answers) -> bool:
    """The answer text (at most 400 characters) contains one of the accepted answers, normalized."""
    text = normalize(answer[:400])
    return any(a and a in text for a in (normalize(x) for x in answers))


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def abstain_auc(rows: list[dict]) -> float | None:
    """How well the evidence model's probability tells answerable questions from unanswerable ones,
    whatever the threshold: the ROC AUC (1 separates them all, 0.5 is chance); None without both kinds.
    Not one of EVAL_FORMAT.md's group keys: metrics.json holds it beside them, for the whole set."""
    scored = [r for r in rows if r.get("evidence") is not None]
    if len({r["answerable"] for r in scored}) < 2:
        return None
    from sklearn.metrics import roc_auc_score  # a dependency of sentence-transformers

    return round(float(roc_auc_score([r["answerable"] for r in scored], [r["evidence"] for r in scored])), 4)


def aggregate(rows: list[dict], keys: tuple[str, ...] = QA_KEYS) -> dict:
    """``n`` and the means of ``keys``: retrieval and answer figures over answerable rows,
    ``abstain_ok`` over unanswerable rows, ``false_abstain`` over answerable ones."""
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    out: dict = {"n": len(rows)}
    for k in keys:
        if k == "abstain_ok":
            out[k] = _mean([float(not r["found"]) for r in unanswerable])
        elif k == "false_abstain":
            out[k] = _mean([float(not r["found"]) for r in answerable])
        else:
            out[k] = _mean([r["scores"][k] for r in answerable if r["scores"].get(k) is not None])
    return out


def hit_curve(rows: list[dict], ks=CURVE_KS) -> list[float | None]:
    """hit@k for k in ``ks`` over the answerable rows (for the plot)."""
    ranks = [r.get("rank") for r in rows if r["answerable"]]
    if not ranks:
        return [None for _ in ks]
    return [round(sum(rk is not None and rk <= k for rk in ranks) / len(ranks), 4) for k in ks]


def groups_of(rows: list[dict]) -> dict[str, list[dict]]:
    """The rows behind each reported group, under the labels the report uses."""
    out: dict[str, list[dict]] = {"overall": rows}
    by_lang: dict[str, list[dict]] = defaultdict(list)
    by_type: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_lang[r["lang"]].append(r)
        by_type[r["type"]].append(r)
    out.update({f"lang={k}": v for k, v in sorted(by_lang.items()) if k})
    out.update({f"type={k}": v for k, v in sorted(by_type.items()) if k})
    out["cross-lingual"] = [r for r in rows if r.get("cross_lingual")]
    out["monolingual"] = [r for r in rows if not r.get("cross_lingual")]
    return out


def grouped(rows: list[dict], keys: tuple[str, ...] = QA_KEYS) -> dict:
    """metrics.json's figures: overall, by_lang, by_type, cross_lingual (+ monolingual)."""
    by_lang: dict[str, list[dict]] = defaultdict(list)
    by_type: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_lang[r["lang"]].append(r)
        by_type[r["type"]].append(r)
    return {
        "overall": aggregate(rows, keys),
        "by_lang": {g: aggregate(rs, keys) for g, rs in sorted(by_lang.items()) if g},
        "by_type": {g: aggregate(rs, keys) for g, rs in sorted(by_type.items()) if g},
        "cross_lingual": aggregate([r for r in rows if r.get("cross_lingual")], keys),
        "monolingual": aggregate([r for r in rows if not r.get("cross_lingual")], keys),
    }

"""Fuse ranked lists from several retrievers, and keep near-duplicate passages out of the top."""

from __future__ import annotations


def reciprocal_rank_fusion(
    rankings: dict[str, list[tuple[int, float]]],
    *,
    weights: dict[str, float] | None = None,
    k: int = 60,
) -> list[tuple[int, float, dict[str, int]]]:
    """Weighted RRF: score = Σ weight / (k + rank). Returns (id, score, ranks per retriever)."""
    weights = weights or {}
    fused: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for name, ranked in rankings.items():
        w = weights.get(name, 1.0)
        for rank, (item, _score) in enumerate(ranked, start=1):
            fused[item] = fused.get(item, 0.0) + w / (k + rank)
            ranks.setdefault(item, {})[name] = rank
    order = sorted(fused, key=lambda i: (-fused[i], min(ranks[i].values())))
    return [(i, fused[i], ranks[i]) for i in order]


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def drop_near_duplicates(items: list, token_sets: list[set[str]], threshold: float) -> list:
    """Keep each item unless it shares more than ``threshold`` (Jaccard) with one kept before it."""
    kept, kept_sets = [], []
    for item, tokens in zip(items, token_sets):
        if any(jaccard(tokens, other) > threshold for other in kept_sets):
            continue
        kept.append(item)
        kept_sets.append(tokens)
    return kept

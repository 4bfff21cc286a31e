"""Fuse ranked lists from several retrievers, and fold near-duplicate passages into one."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


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


def fold_near_duplicates(items: list[T], token_sets: list[set[str]], threshold: float) -> list[tuple[T, list[T]]]:
    """Keep each item unless it shares more than ``threshold`` (Jaccard) with one kept before it;
    such a near-duplicate is folded into the first kept item it matches instead of dropped (a clause
    republished in another document is shown once, and that document can still be named).
    Returns (kept item, its near-duplicates in order), kept items in order."""
    kept: list[tuple[T, list[T]]] = []
    kept_sets: list[set[str]] = []
    for item, tokens in zip(items, token_sets):
        host = next((i for i, other in enumerate(kept_sets) if jaccard(tokens, other) > threshold), None)
        if host is None:
            kept.append((item, []))
            kept_sets.append(tokens)
        else:
            kept[host][1].append(item)
    return kept


def add_group_ranking(
    fused: list[tuple[int, float, dict[str, int]]],
    name: str,
    groups: list[int],
    group_of,
    representatives,
    *,
    weight: float = 1.0,
    k: int = 60,
) -> list[tuple[int, float, dict[str, int]]]:
    """Fold in a ranking of groups (documents ranked as a whole) as one more RRF list.

    Every item gains ``weight / (k + rank of its group)``, so items of one group keep their order
    among themselves; the ranked groups with no item among ``fused`` enter with one item each,
    ``representatives(those groups)`` (asked once: a remote index scores them in one request).
    ``group_of`` maps an item to its group.
    """
    if not groups or weight == 0:
        return fused
    group_rank = {g: r for r, g in enumerate(groups, start=1)}
    scores = {i: s for i, s, _ in fused}
    ranks = {i: dict(r) for i, _, r in fused}
    present = {group_of(i) for i in scores}
    entering = [g for g in groups if g not in present]
    for i in representatives(entering) if entering else []:
        scores.setdefault(i, 0.0)
        ranks.setdefault(i, {})
    for i in scores:
        r = group_rank.get(group_of(i))
        if r is not None:
            scores[i] += weight / (k + r)
            ranks[i][name] = r
    order = sorted(scores, key=lambda i: (-scores[i], min(ranks[i].values())))
    return [(i, scores[i], ranks[i]) for i in order]


def margin_confidence(ranked: list[tuple[int, float]], span: float) -> float:
    """How clearly the first of ``ranked`` (best first, positive scores) leads, 0..1: 0 when the
    second scores as high, 1 when the first scores ``1 + span`` times the second or more (a lone
    result counts as clear)."""
    if not ranked or span <= 0:
        return 0.0
    if len(ranked) == 1 or ranked[1][1] <= 0:
        return 1.0
    return min(1.0, max(0.0, (ranked[0][1] / ranked[1][1] - 1) / span))


def add_bonus(
    fused: list[tuple[int, float, dict[str, int]]], name: str, favoured, *, weight: float = 1.0, k: int = 60
) -> list[tuple[int, float, dict[str, int]]]:
    """Items for which ``favoured(item)`` holds gain ``weight / (k + 1)``, as if ranked first in one
    more list (``name``); no item enters that was not fused already."""
    if weight == 0:
        return fused
    gain = weight / (k + 1)
    out = [(i, s + gain, {**r, name: 1}) if favoured(i) else (i, s, r) for i, s, r in fused]
    out.sort(key=lambda t: (-t[1], min(t[2].values())))
    return out

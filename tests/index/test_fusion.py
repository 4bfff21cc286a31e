import pytest

from index.fusion import add_bonus, add_group_ranking, fold_near_duplicates, jaccard, margin_confidence, reciprocal_rank_fusion


def test_rrf_rewards_agreement_between_retrievers():
    fused = reciprocal_rank_fusion({"bm25": [(1, 9.0), (2, 5.0), (5, 1.0)], "dense": [(3, 0.9), (2, 0.8), (4, 0.7)]})
    order = [i for i, _, _ in fused]
    assert order[0] == 2  # second in both beats first in one
    assert dict((i, r) for i, _, r in fused)[2] == {"bm25": 2, "dense": 2}


def test_rrf_weights_shift_the_balance():
    rankings = {"bm25": [(1, 1.0), (2, 0.5)], "dense": [(2, 0.9), (1, 0.8)]}
    assert reciprocal_rank_fusion(rankings, weights={"bm25": 2.0})[0][0] == 1
    assert reciprocal_rank_fusion(rankings, weights={"dense": 2.0})[0][0] == 2


def test_near_duplicates_are_shown_once_folded_into_the_better_ranked_passage():
    a = {"kinh", "phi", "5.444", "trieu", "dong"}
    items = ["a", "b", "a-copy", "a-copy-2", "c"]
    token_sets = [a, {"so", "y", "te"}, set(a) | {"x"}, set(a), {"tre", "em"}]
    folded = fold_near_duplicates(items, token_sets, threshold=0.8)
    assert folded == [("a", ["a-copy", "a-copy-2"]), ("b", []), ("c", [])]  # distinct ones kept, in order
    # a copy that only resembles (Jaccard 5/7) is a passage of its own
    assert [kept for kept, _ in fold_near_duplicates(["a", "near"], [a, set(a) | {"x", "y"}], 0.8)] == ["a", "near"]
    assert jaccard(set(), a) == 0.0


def test_group_ranking_lifts_every_item_of_a_ranked_group_and_adds_missing_groups():
    fused = reciprocal_rank_fusion({"bm25": [(1, 3.0), (2, 2.0), (3, 1.0)]})
    group_of = {1: "x", 2: "y", 3: "y", 9: "z"}.__getitem__
    asked = []

    def representatives(groups):
        asked.append(list(groups))
        return [9 for _ in groups]

    out = add_group_ranking(fused, "document", ["y", "z"], group_of, representatives)
    assert asked == [["z"]]  # once, for the ranked groups with no item among the fused ones
    order = [i for i, _, _ in out]
    assert order[:2] == [2, 3]  # both items of the top group, in their own order
    assert 9 in order and dict((i, r) for i, _, r in out)[9] == {"document": 2}  # group z via its representative
    assert add_group_ranking(fused, "document", ["y"], group_of, representatives, weight=0) == fused


def test_margin_confidence_grows_with_the_leaders_lead():
    assert margin_confidence([(1, 5.0), (2, 5.0)], 0.4) == 0.0  # a tie: no lead
    assert margin_confidence([(1, 6.0), (2, 5.0)], 0.4) == pytest.approx(0.5)  # 1.2 times the second: half way
    assert margin_confidence([(1, 9.0), (2, 5.0)], 0.4) == 1.0  # 1.8 times: full
    assert margin_confidence([(1, 9.0)], 0.4) == 1.0 and margin_confidence([], 0.4) == 0.0


def test_bonus_lifts_favoured_items_without_adding_any():
    fused = reciprocal_rank_fusion({"bm25": [(1, 3.0), (2, 2.0), (3, 1.0)]}, k=10)
    out = add_bonus(fused, "lead", lambda i: i == 3, weight=1.0, k=10)
    assert [i for i, _, _ in out] == [3, 1, 2] and out[0][2] == {"bm25": 3, "lead": 1}
    assert add_bonus(fused, "lead", lambda i: i == 9, weight=1.0, k=10) == fused

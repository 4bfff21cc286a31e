from index.fusion import drop_near_duplicates, jaccard, reciprocal_rank_fusion


def test_rrf_rewards_agreement_between_retrievers():
    fused = reciprocal_rank_fusion({"bm25": [(1, 9.0), (2, 5.0), (5, 1.0)], "dense": [(3, 0.9), (2, 0.8), (4, 0.7)]})
    order = [i for i, _, _ in fused]
    assert order[0] == 2  # second in both beats first in one
    assert dict((i, r) for i, _, r in fused)[2] == {"bm25": 2, "dense": 2}


def test_rrf_weights_shift_the_balance():
    rankings = {"bm25": [(1, 1.0), (2, 0.5)], "dense": [(2, 0.9), (1, 0.8)]}
    assert reciprocal_rank_fusion(rankings, weights={"bm25": 2.0})[0][0] == 1
    assert reciprocal_rank_fusion(rankings, weights={"dense": 2.0})[0][0] == 2


def test_near_duplicates_are_shown_once_and_distinct_passages_kept():
    a = {"kinh", "phi", "5.444", "trieu", "dong"}
    items = ["a", "a-copy", "b"]
    kept = drop_near_duplicates(items, [a, set(a) | {"x"}, {"so", "y", "te"}], threshold=0.8)
    assert kept == ["a", "b"]
    assert jaccard(set(), a) == 0.0

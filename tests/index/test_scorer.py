"""The learned answer weights: what ships matches the features the code computes, and survives a save."""

from index.scorer import CANDIDATE_FEATURES, EVIDENCE_FEATURES, RERANK_FEATURES, Scorer, default


def test_the_shipped_weights_are_for_the_features_the_answer_stage_computes():
    # a feature added or renamed without retraining (python -m eval.train_scorer) would weigh 0
    scorer = default()
    assert scorer.candidate.features == CANDIDATE_FEATURES
    assert scorer.evidence.features == EVIDENCE_FEATURES
    assert scorer.rerank is not None and scorer.rerank.features == RERANK_FEATURES
    assert 0.0 < scorer.threshold < 1.0


def test_the_weights_learned_what_the_labels_mean():
    candidate = dict(zip(default().candidate.features, default().candidate.weights))
    evidence = dict(zip(default().evidence.features, default().evidence.weights))
    # covering the question and ranking high make a candidate likelier; restating the title does not
    assert candidate["coverage"] > 0 and candidate["prior"] > 0 and candidate["title"] < 0
    # the reader's score counts, and so do the words: neither alone decides
    rerank = dict(zip(default().rerank.features, default().rerank.weights))
    assert rerank["reader"] > 0 and rerank["lexical"] > 0
    # a year the passage does not state, or a figure asked for and not given, make "nothing found" likelier
    assert evidence["missing_years"] < 0 and evidence["asked_missing"] < 0


def test_a_saved_scorer_loads_with_the_same_decisions(tmp_path):
    scorer = default()
    scorer.save(tmp_path / "w.json")
    again = Scorer.load(tmp_path / "w.json")
    x = {f: 0.5 for f in CANDIDATE_FEATURES}
    assert abs(again.candidate.log_odds(x) - scorer.candidate.log_odds(x)) < 1e-4
    read = {"lexical": 1.0, "reader": 2.0}
    assert abs(again.rerank.log_odds(read) - scorer.rerank.log_odds(read)) < 1e-4
    assert again.threshold == scorer.threshold

from index.abstain import evidence_score


def _features(**changes):
    return {"confidence": 0.5, "missing_figures": 0.0, "other_script": 0.0} | changes


def test_a_question_whose_year_the_sentence_lacks_scores_lower():
    assert evidence_score(_features(missing_figures=1.0)) < 0.3 <= evidence_score(_features())


def test_a_sentence_in_the_other_language_is_not_held_to_full_coverage():
    # a Chinese question's words reach a Vietnamese sentence only through the glossary
    assert evidence_score(_features(confidence=0.25, other_script=1.0)) >= 0.3 > evidence_score(_features(confidence=0.25))


def test_a_plan_that_never_names_the_place_asked_about_does_not_answer():
    assert evidence_score(_features(confidence=0.9, other_place=1.0)) < 0.3 <= evidence_score(_features(confidence=0.9))


def test_a_sentence_without_a_figure_of_what_is_asked_does_not_answer():
    # "bao nhiêu tiền" over a sentence stating only points: well matched, but it does not say
    assert evidence_score(_features(confidence=0.55, asked_missing=1.0)) < 0.35 <= evidence_score(_features(confidence=0.55))

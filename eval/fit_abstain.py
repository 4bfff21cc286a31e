"""Refit the "nothing found" model of index/abstain.py.

    .venv/bin/python -m eval.fit_abstain            # fit, print coefficients and held-out figures

Asks every question of eval/sets/dev.jsonl, calibration.jsonl and dev2.jsonl (never test.jsonl)
with the hybrid retriever, computes index/answer.py's evidence features for the sentence it would
quote, and picks index/abstain.py's two constants by grid search (balanced accuracy at
Settings.min_confidence) on all of them but every fourth question of dev2.jsonl, which is held
out to check the fit; a logistic regression over the raw features is printed for comparison.
Paste the printed constants into index/abstain.py.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from index.abstain import evidence_score
from index.answer import _Weights, _wants, classify_question, doc_question, select
from index.config import REPO_ROOT, Settings

from .harness import open_engine
from .memo import prefetch_questions

SETS = ("dev.jsonl", "calibration.jsonl", "dev2.jsonl")
HELD_OUT = ("dev2.jsonl", 4)  # every 4th question of this set is kept for checking


def collect(engine, path: Path) -> list[tuple[str, bool, dict]]:
    retriever = engine._current()
    stored = retriever.stored
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    prefetch_questions(engine, [it["question"] for it in items], progress=False)
    rows = []
    for n, it in enumerate(items):
        query = retriever.query(it["question"])
        if not query.tokens or doc_question(query.text):
            continue  # nothing to search for / answered from the document's header
        hits = retriever.search(query, k=10)
        weights = _Weights(query, stored.lexical)
        best, feats = select(query, hits, weights, classify_question(query.text), _wants(query.text), stored.documents)
        if best is not None:
            held = path.name == HELD_OUT[0] and n % HELD_OUT[1] == HELD_OUT[1] - 1
            rows.append((it["id"], it["type"] != "unanswerable", feats, held))
    return rows


FEATURES = ("coverage", "key", "fact", "missing_figures", "other_script", "dense_top", "agree")


def main(argv: list[str] | None = None) -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.parse_args(argv)
    settings = Settings()
    engine = open_engine(settings, progress=False)
    rows = [r for name in SETS for r in collect(engine, REPO_ROOT / "eval" / "sets" / name)]
    y = np.array([r[1] for r in rows])
    held = np.array([r[3] for r in rows])
    t = settings.min_confidence

    def figures(scores: np.ndarray, mask: np.ndarray) -> str:
        s, a = scores[mask], y[mask]
        return f"abstain_ok {np.mean(s[~a] < t):.3f} (n={(~a).sum()}), false_abstain {np.mean(s[a] < t):.3f} (n={a.sum()})"

    def balanced(scores: np.ndarray, mask: np.ndarray) -> float:
        s, a = scores[mask], y[mask]
        return np.mean(s[~a] < t) + np.mean(s[a] >= t)

    conf = np.array([r[2]["confidence"] for r in rows])
    grid = [(p, b) for p in np.arange(0.0, 0.91, 0.1) for b in np.arange(1.0, 1.61, 0.1)]
    scored = {(p, b): np.array([evidence_score(r[2], penalty=p, boost=b) for r in rows]) for p, b in grid}
    best = max(grid, key=lambda g: (round(balanced(scored[g], ~held), 6), -g[0], -g[1]))
    print(f"MISSING_FIGURE_PENALTY = {best[0]:.1f}\nOTHER_SCRIPT_BOOST = {best[1]:.1f}")
    for part, mask in (("fitted", ~held), ("held out", held)):
        print(f"{part:9} confidence alone: {figures(conf, mask)}")
        print(f"{part:9} evidence_score:   {figures(scored[best], mask)}")
    # for comparison: a logistic regression over the raw features
    X = np.array([[r[2][f] for f in FEATURES] for r in rows])
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(X[~held], y[~held])
    p = model.predict_proba(X)[:, 1]
    print("logistic regression:", dict(zip(FEATURES, np.round(model.coef_[0], 3))), round(model.intercept_[0], 3))
    for part, mask in (("fitted", ~held), ("held out", held)):
        s, a = p[mask], y[mask]
        print(f"{part:9} logistic (p < 0.5): abstain_ok {np.mean(s[~a] < 0.5):.3f}, false_abstain {np.mean(s[a] < 0.5):.3f}")


if __name__ == "__main__":
    main()

"""Learned weights for the answer stage: which candidate answers, and whether any does.

Two logistic models over features index/answer.py computes (no language model):

- ``candidate``: each candidate (a sentence, a labelled field, a list with its lead-in) by its
  coverage of the question's words, the kind of fact it holds, whether its label is of the kind
  the question asks for, its passage's rank and scores, …; the best one is quoted;
- ``evidence``: whether the documents answer the question at all, from the chosen candidate's
  score and the question-level signals (figures the question names that the passage lacks, a
  place it never mentions, …); below ``threshold`` the reply is "nothing found".

The weights are fitted by ``python -m eval.train_scorer`` (its docstring says on which data) and
stored in ``scorer.json`` beside this module, standardization folded in: a score is one dot product.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WEIGHTS_PATH = Path(__file__).resolve().parent / "scorer.json"

CANDIDATE_FEATURES = (
    "coverage",  # share of the question's idf-weighted words in the candidate (partly in its context)
    "distinct",  # the same, each word weighted by how few candidates hold it
    "key",  # the question's two rarest words present
    "fact",  # holds the kind of fact asked for (a date, an agency, a figure of the thing counted, …)
    "match_fact",  # coverage and distinct coverage, averaged, times fact: words and fact together
    "label_match",  # sits under a label of the kind the question asks for ("Thời hạn giải quyết")
    "label_other",  # sits under a label of another kind
    "title",  # restates the document's title
    "figure",  # states a figure
    "listed",  # a lead-in with its list
    "prior",  # its passage's fused score relative to the first passage's
    "rank",  # 1 / (1 + its passage's rank)
    "dense",  # its passage's cosine to the question
    "length",  # its length, in 300-character units (capped at 1)
    "added",  # a field of a top passage's document labelled for what is asked, not itself a top passage
)
EVIDENCE_FEATURES = (
    "score",  # the chosen candidate's log-odds
    "coverage",
    "key",
    "fact",
    "support",  # coverage × (0.6 + 0.4 key) × (0.7 + 0.3 fact): the three together
    "label_match",
    "missing_figures",  # the question's figures and years the passage does not state
    "other_script",  # the candidate is in the other language than the question
    "asked_missing",  # the question asks for a figure or contact the candidate does not state
    "other_place",  # the document never names a place the question names
    "dense_top",
    "agree",  # BM25 and dense both rank the passage in their top 10
)


@dataclass(frozen=True)
class LinearModel:
    """A logistic model: log-odds = bias + Σ weight × feature (features standardized beforehand,
    folded into the weights)."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def log_odds(self, x: dict[str, float]) -> float:
        return self.bias + sum(w * float(x.get(f, 0.0)) for f, w in zip(self.features, self.weights))

    def probability(self, x: dict[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.log_odds(x)))))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "weights": [round(w, 6) for w in self.weights], "bias": round(self.bias, 6)}

    @classmethod
    def from_dict(cls, d: dict) -> LinearModel:
        return cls(tuple(d["features"]), tuple(float(w) for w in d["weights"]), float(d["bias"]))


@dataclass(frozen=True)
class Scorer:
    candidate: LinearModel
    evidence: LinearModel
    threshold: float  # "nothing found" below this probability that the documents answer
    about: dict  # what it was trained on, and how it did there

    def save(self, path: Path = WEIGHTS_PATH) -> None:
        data = {"candidate": self.candidate.to_dict(), "evidence": self.evidence.to_dict(),
                "threshold": round(self.threshold, 4), "about": self.about}
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> Scorer:
        d = json.loads(Path(path).read_text("utf-8"))
        return cls(LinearModel.from_dict(d["candidate"]), LinearModel.from_dict(d["evidence"]),
                   float(d["threshold"]), d.get("about", {}))


@lru_cache(maxsize=4)
def default(path: Path = WEIGHTS_PATH) -> Scorer:
    """The shipped weights, read once."""
    return Scorer.load(path)

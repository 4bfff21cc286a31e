"""Learned weights for the answer stage: which candidate answers, and whether any does.

Two logistic models over features index/answer.py computes (no language model):

- ``candidate``: each candidate (a sentence, a labelled field, a list with its lead-in) by its
  coverage of the question's words, the kind of fact it holds, whether its label is of the kind
  the question asks for, its passage's rank and scores, …; the best one is quoted;
- ``evidence``: whether the documents answer the question at all, from the chosen candidate's
  score and the question-level signals (figures the question names that the passage lacks, a
  place it never mentions, …); below ``threshold`` the reply is "nothing found".

With the reader (index/reader.py, a cross-encoder that reads question and candidate together) a
third model, ``rerank``, scores the candidates again by the candidate model's score and the
reader's; the best by it is quoted. Whether anything answers stays the evidence model's call, on
the more convincing of the reader's choice and the candidate model's (index/answer.py select).

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
    "coverage_fact",  # coverage × holds the kind of fact asked for (a date, an agency, a figure, …)
    "distinct_fact",  # distinct × the same
    "prior",  # its passage's fused score relative to the first passage's
    "label_match",  # is the field labelled for what the question asks ("Thời hạn giải quyết")
    "title",  # restates its document's title
)
EVIDENCE_FEATURES = (
    "rule",  # the evidence score of before (index/abstain.py): coverage, rarest words and fact kind,
    # less missing figures, other place, asked-for figure missing; more for the other language.
    # "Another place" is left to it: alone it is too rare in the fitting sets to weigh (fitted +0.4)
    "label_match",  # the chosen candidate is the field labelled for what is asked
    "missing_years",  # the question's years the passage does not state (another period's plan)
    "asked_missing",  # the question asks for a figure or contact the candidate does not state
    "dense_top",  # the nearest passage's cosine to the question (after centring)
    "other_script",  # the candidate is in the other language than the question: its words reach it
    # only through the glossary, so its coverage reads low for a right answer
)
RERANK_FEATURES = (
    "lexical",  # the candidate model's log-odds
    "reader",  # the reader's score of question and candidate read together
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
    rerank: LinearModel | None = None  # with the reader; None: fitted without one

    def save(self, path: Path = WEIGHTS_PATH) -> None:
        data = {"candidate": self.candidate.to_dict(), "evidence": self.evidence.to_dict(),
                "threshold": round(self.threshold, 4)}
        if self.rerank is not None:
            data["rerank"] = self.rerank.to_dict()
        data["about"] = self.about
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> Scorer:
        d = json.loads(Path(path).read_text("utf-8"))
        rerank = LinearModel.from_dict(d["rerank"]) if "rerank" in d else None
        return cls(LinearModel.from_dict(d["candidate"]), LinearModel.from_dict(d["evidence"]),
                   float(d["threshold"]), d.get("about", {}), rerank)


@lru_cache(maxsize=4)
def default(path: Path = WEIGHTS_PATH) -> Scorer:
    """The shipped weights, read once."""
    return Scorer.load(path)

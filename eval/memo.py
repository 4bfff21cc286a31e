"""Question vectors embedded in batches up front and remembered, for runs of many questions.

A set of thousands of questions asked with dense and hybrid retrieval would embed each one twice,
one at a time; batched (by similar length, so little padding) it is several times faster. The
vectors are the model's for the same text (batching changes them by float rounding only).
"""

from __future__ import annotations

import numpy as np
from tqdm import tqdm

from index.embedding import Embedder
from index.engine import Engine

BATCH = 256


class QueryMemo:
    """The engine's embedder, with question vectors embedded in batches up front and remembered.

    A set of thousands of questions asked with dense and hybrid retrieval would embed each one twice,
    one at a time; batched (by similar length, little padding) it is several times faster. Passages
    go to the wrapped embedder unchanged.
    """

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self.memo: dict[str, np.ndarray] = {}

    def __getattr__(self, name):
        return getattr(self.embedder, name)

    def prefetch(self, texts: list[str], batch: int = BATCH) -> None:
        todo = list(dict.fromkeys(t for t in texts if t not in self.memo))
        for start in range(0, len(todo), batch):
            part = todo[start : start + batch]
            self.memo.update(zip(part, self.embedder.embed_queries(part)))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self.memo]
        if missing:
            self.prefetch(missing)
        return np.stack([self.memo[t] for t in texts]) if texts else self.embedder.embed_queries(texts)


def prefetch_questions(engine: Engine, questions: list[str], *, progress: bool = True) -> None:
    """Embed, in batches, the text the engine's dense retrieval will embed for each question."""
    if not isinstance(engine.embedder, QueryMemo):
        return
    limit = getattr(engine.settings, "max_question_chars", None)  # Engine.ask cuts longer questions
    texts = [engine.query(q[:limit]).dense_text for q in questions]
    with tqdm(total=len(texts), desc="Embedding questions", unit="q", disable=not progress) as bar:
        for start in range(0, len(texts), BATCH):
            engine.embedder.prefetch(texts[start : start + BATCH])
            bar.update(len(texts[start : start + BATCH]))

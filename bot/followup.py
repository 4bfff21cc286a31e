"""Follow-up questions: a short question right after an answer is about the same document.

"còn lệ phí thì sao?", "那需要什么材料？", "thoi han bao lau?" name no document. Asked within
``followup_seconds`` of an answer in the same chat, they are answered from that answer's document
first (``Engine.ask(within=…)``), and from the whole index when it has nothing. A longer question,
or one naming another document by number or place, starts afresh; so does everything after /new.
"""

from __future__ import annotations

from index.engine import Engine
from index.tokenize import content_words

from .answers import AnswerRecord


def prior_document(engine: Engine, last: AnswerRecord | None, question: str, max_words: int) -> str | None:
    """The document ``question`` follows up on, or None when it is a question of its own."""
    if last is None or not last.found or not last.citations:
        return None
    doc_id = last.citations[0].doc_id
    if len(content_words(question)) > max_words:
        return None
    named = engine.documents_named(question)
    return None if named and doc_id not in named else doc_id

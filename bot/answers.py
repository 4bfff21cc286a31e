"""What the bot keeps of an answer so its buttons work later (and after a restart).

An engine `Answer` holds live index objects; the bot stores a small, JSON-able `AnswerRecord`
instead, keyed by a short random id that goes into the buttons' callback data. It keeps the full
passage each citation was drawn from ("Nguồn / 来源" shows it) and a couple of other passages of
the cited documents.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field

from index.tokenize import tokenize
from index.types import Answer, Citation, DocRef, Hit

RELATED_PASSAGES = 2


@dataclass(frozen=True)
class Passage:
    doc_id: str
    title: str
    section: str
    text: str


@dataclass(frozen=True)
class CitedPassage:
    doc_id: str
    title: str
    number: str | None
    date: str | None
    section: str
    quote: str
    period_ended: str | None
    passage: str  # the whole passage the quote was taken from
    also_in: tuple[DocRef, ...] = ()  # other documents whose copy of the passage holds the quote


@dataclass(frozen=True)
class AnswerRecord:
    key: str
    question: str
    lang: str
    qtype: str
    found: bool
    text: str
    citations: list[CitedPassage] = field(default_factory=list)
    related: list[Passage] = field(default_factory=list)

    @property
    def sources(self) -> list[dict]:
        """Doc ids and sections, as the feedback store records them."""
        return [{"doc_id": c.doc_id, "section": c.section} for c in self.citations]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> AnswerRecord:
        d = json.loads(text)
        d["citations"] = [
            CitedPassage(**{**c, "also_in": tuple(DocRef(**r) for r in c.get("also_in", ()))})
            for c in d.get("citations", [])
        ]
        d["related"] = [Passage(**p) for p in d.get("related", [])]
        return cls(**d)


def new_key() -> str:
    """10 URL-safe characters: unguessable enough that nobody votes on someone else's answer."""
    return secrets.token_urlsafe(8)[:10]


def _source_hit(c: Citation, hits: list[Hit]) -> Hit | None:
    """The passage a citation quotes: by its chunk id, or else (a citation built from extracted
    facts) the hit from the same document and section sharing the most words with the quote."""
    if c.chunk_id:
        exact = [h for h in hits if h.chunk.chunk_id == c.chunk_id]
        if exact:
            return exact[0]
    same = [h for h in hits if h.chunk.doc_id == c.doc_id and h.chunk.section_path == c.section]
    if not same:
        return None
    words = set(tokenize(c.quote))
    return max(same, key=lambda h: (len(words & set(tokenize(h.chunk.text))), -hits.index(h)))


def record_from_answer(answer: Answer, titles: dict[str, str], key: str | None = None) -> AnswerRecord:
    """The storable part of ``answer``; ``titles`` maps doc ids to titles for related passages."""
    cited: list[CitedPassage] = []
    used: set[str] = set()
    for c in answer.citations:
        hit = _source_hit(c, answer.hits)
        if hit is not None:
            used.add(hit.chunk.chunk_id)
        cited.append(
            CitedPassage(
                doc_id=c.doc_id,
                title=c.title,
                number=c.number,
                date=c.date,
                section=c.section,
                quote=c.quote,
                period_ended=c.period_ended,
                passage=hit.chunk.text if hit else c.quote,
                also_in=c.also_in,
            )
        )
    related = []
    cited_docs = {c.doc_id for c in answer.citations}
    if answer.found:
        for h in answer.hits:
            if len(related) == RELATED_PASSAGES:
                break
            # the same documents only: a passage of another plan does not support this answer
            if h.chunk.chunk_id not in used and h.chunk.doc_id in cited_docs:
                related.append(Passage(h.chunk.doc_id, titles.get(h.chunk.doc_id, h.chunk.doc_id), h.chunk.section_path, h.chunk.text))
    return AnswerRecord(
        key=key or new_key(),
        question=answer.question,
        lang=answer.lang,
        qtype=answer.qtype,
        found=answer.found,
        text=answer.text,
        citations=cited,
        related=related,
    )

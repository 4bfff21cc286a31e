"""The typed values that flow through the engine: files → Document → Chunk → Hit → Answer."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class DocMeta:
    """What a citation shows about a document; every field found by rules, None when absent."""

    title: str
    lang: str  # "vi", "zh" or another ISO 639-1 code from langdetect
    number: str | None = None  # "161/KH-UBND", "郴政办发〔2018〕18号"
    issuer: str | None = None  # "UBND tỉnh Thanh Hóa", "郴州市人民政府办公室"
    place: str | None = None  # "Thanh Hóa", "郴州市"
    date: str | None = None  # date of issue, ISO "2016-10-24"
    period: str | None = None  # implementation period as written: "2016-2020"
    period_end: int | None = None  # last year of the period, for "this plan has ended" notes

    def to_dict(self) -> dict:
        # shallow: dataclasses.asdict deep-copies, measured at a fifth of adding one document
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, d: dict) -> DocMeta:
        return cls(**d)


@dataclass(frozen=True)
class Document:
    """One cleaned source file."""

    doc_id: str  # file name relative to the corpus folder; what citations and eval sets name
    text: str  # cleaned text, NFC, one paragraph / heading / table row per line
    meta: DocMeta
    sha256: str  # of the raw file bytes: the manifest's change detector


@dataclass(frozen=True)
class Chunk:
    """A passage cut along the document's structure, sized for the embedding model."""

    chunk_id: str  # f"{doc_id}#{ordinal}"
    doc_id: str
    ordinal: int
    text: str  # the passage itself, whole sentences
    section: tuple[str, ...] = ()  # heading path, outermost first

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)

    def to_dict(self) -> dict:
        return {"chunk_id": self.chunk_id, "doc_id": self.doc_id, "ordinal": self.ordinal, "text": self.text,
                "section": list(self.section)}

    @classmethod
    def from_dict(cls, d: dict) -> Chunk:
        return cls(**{**d, "section": tuple(d.get("section", ()))})


@dataclass
class Hit:
    """A chunk returned by retrieval: fused score, and each retriever's rank (1-based) and score."""

    chunk: Chunk
    score: float
    ranks: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)  # raw: BM25 score, cosine
    # the same passage in other documents (near-duplicates ranked below it), one per document, in
    # rank order: shown once, but every document holding it is named
    also: list[Chunk] = field(default_factory=list)


@dataclass(frozen=True)
class DocRef:
    """A document named by a citation without being quoted: one that holds the same clause."""

    doc_id: str
    title: str
    number: str | None = None


@dataclass(frozen=True)
class Citation:
    """Where a quote comes from, in the words a reader needs to find it."""

    doc_id: str
    title: str
    number: str | None
    date: str | None
    section: str
    quote: str
    period_ended: str | None = None  # "2016-2020" when the plan's period is over
    chunk_id: str | None = None  # the passage the quote comes from
    also_in: tuple[DocRef, ...] = ()  # other documents whose copy of the passage holds the quote, in rank order


@dataclass
class Answer:
    """The product's reply to one question."""

    question: str
    lang: str  # language the reply is written in ("vi" or "zh")
    qtype: str  # eligibility, deadline, responsibility, amount, target, other
    found: bool
    text: str  # the direct answer: a sentence or clause, or the "nothing found" message
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    # the evidence model's probability that the passages answer (index/scorer.py), whichever side of
    # the threshold (a reply from the extracted facts keeps it); None for one from a document's header
    evidence: float | None = None

"""The question read once: its language, type, and what it asks for besides (a figure of what, a
contact, a list, a document's number, a kind of labelled field), the figures and years it names.

``prepare_query`` (index/retrieve.py) reads it into ``Query.question``; retrieval (which field of a
record to bring forward) and the answer stage (which candidate states what is asked) both use it.
Everything language-specific comes from the language modules (index/lang/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fields import asked_kinds, matched_cues
from .lang import vi, zh
from .tokenize import normalize

QTYPES = ("deadline", "responsibility", "eligibility", "amount", "target")
ASKING_WEIGHT = 2  # a type cue that asks counts this many times its length


def classify_question(question: str) -> str:
    """deadline, responsibility, eligibility, amount, target or other, from cue phrases."""
    table = (zh if zh.CJK_RUN.search(question) else vi).QUESTION_CUES
    # longer cues are more specific: "tỷ lệ bao nhiêu" is a target, bare "bao nhiêu" an amount; a cue
    # that asks (index/fields.py matched_cues) outweighs the topic named around it: "đơn vị làm hồ
    # sơ … nhiệm vụ … thì phải chờ bao lâu" asks for a deadline
    scores = {qtype: sum(len(cue) * (ASKING_WEIGHT if asks else 1) for cue, asks in cues)
              for qtype, cues in matched_cues(question, table).items()}
    return max(QTYPES, key=lambda t: scores.get(t, 0)) if scores else "other"


def wants_number(question: str) -> bool:
    """"Bao nhiêu", "mấy", "多少", "几": the answer is a figure."""
    if zh.CJK_RUN.search(question):
        return any(cue in question for cue in zh.NUMBER_CUES)
    folded = vi.padded(question)
    return any(f" {cue} " in folded for cue in vi.NUMBER_CUES)


_FIGURE_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Question:
    """The question as retrieval and the answer stage read it, once (``read_question``): its type,
    and what it asks for besides: a figure (of what), a contact, a list, a document's number, a kind of field;
    the figures and years it names."""

    text: str = ""
    lang: str = "vi"  # whose rules read it: "zh" when it holds Chinese characters
    type: str = "other"  # deadline, responsibility, eligibility, amount, target or other
    number: bool = False
    unit: str | None = None  # what the figure counts, when the question says (index/lang asked_unit)
    contact: str | None = None  # a web address, site, phone number or e-mail (index/lang asked_contact)
    list: bool = False
    reference: bool = False
    exclude: frozenset[str] = frozenset()  # document numbers the question itself names
    asks: frozenset[str] = frozenset()  # the kinds of labelled field it asks for (index/fields.py)
    figures: frozenset[str] = frozenset()  # the figures it names ("2021", "65"), not documents' numbers
    years: frozenset[str] = frozenset()  # those of them that are years
    short_years: frozenset[str] = frozenset()  # years written short ("22年", "năm 22": 2022)

    @property
    def any(self) -> bool:
        return self.number or self.list or self.reference or bool(self.contact)


def read_question(text: str) -> Question:
    """What the question asks for, read from its words once."""
    is_zh = bool(zh.CJK_RUN.search(text))
    lang = zh if is_zh else vi
    padded = text if is_zh else vi.padded(text)
    named = frozenset(normalize(m.group(0)) for mod in (vi, zh) for m in mod.DOC_REFERENCE.finditer(text))
    number = wants_number(text)
    # the question's figures and years, not the numbers of documents it names
    own = text
    for mod in (vi, zh):
        own = mod.DOC_REFERENCE.sub(" ", own)
    figures = frozenset(_FIGURE_TOKEN.findall(own))
    short_years = frozenset(m.group(1) for mod in (vi, zh) for m in mod.SHORT_YEAR.finditer(own))
    return Question(
        text=text,
        lang="zh" if is_zh else "vi",
        type=classify_question(text),
        number=number,
        unit=lang.asked_unit(text) if number else None,
        contact=lang.asked_contact(text),
        list=bool(lang.LIST_QUESTION.search(padded)),
        reference=bool(lang.REFERENCE_QUESTION.search(padded)),
        exclude=named,
        asks=asked_kinds(text),
        figures=figures,
        years=frozenset(f for f in figures if _YEAR.match(f) or f in short_years),
        short_years=short_years,
    )

"""Answer → what people and programs read: a labelled plain-text reply, or a JSON record.

The JSON record is the one `../shared/EVAL_FORMAT.md` defines ("What the evaluation command
writes"), so `policyqa ask --json` and the evaluation harness print the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict
from typing import TypeVar

from .lang import rules
from .sentences import clip
from .types import Answer, Citation, DocRef

C = TypeVar("C")
ALSO_IN_SHOWN = 3  # documents named in an "also in" line; the rest are counted
NAME_CHARS = 60  # a document named by its title (no number) is cut to this


def answer_record(answer: Answer, qid: str | None = None) -> dict:
    record = {
        "question": answer.question,
        "found": answer.found,
        "answer": answer.text if answer.found else "",
        "type": answer.qtype,
        "lang": answer.lang,
        "citations": [asdict(c) for c in answer.citations],
        "passages": [
            {"source": h.chunk.doc_id, "section": h.chunk.section_path, "text": h.chunk.text, "score": round(h.score, 6)}
            for h in answer.hits
        ],
    }
    return {"id": qid, **record} if qid is not None else record


def format_date(iso: str | None, lang: str) -> str | None:
    """"2016-10-24" as the reader writes it: "24/10/2016", "2016年10月24日"; other shapes as written."""
    if not iso:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    if not m:
        return iso
    y, mo, d = (int(g) for g in m.groups())
    return rules(lang).DATE_FORMAT.format(y=y, m=mo, d=d)


def cite_line(c: Citation, lang: str) -> str:
    """"Kế hoạch … (Số 161/KH-UBND, ngày 24/10/2016)" in the reader's language."""
    labels = rules(lang).LABELS
    details = [f"{labels['number']} {c.number}" if c.number else "", f"{labels['date']} {format_date(c.date, lang)}" if c.date else ""]
    details = [d for d in details if d]
    return c.title + (f" ({', '.join(details)})" if details else "")


def doc_name(ref: DocRef) -> str:
    """A document as a list of names shows it: its number, else its title (cut), else its id."""
    if ref.number:
        return ref.number
    return clip(ref.title, NAME_CHARS) or ref.doc_id


def also_in_names(refs: tuple[DocRef, ...], lang: str) -> str:
    """"161/KH-UBND; 2516/KH-UBND; 34/2014/QĐ-TTg và 2 văn bản khác": the first few, the rest counted."""
    labels = rules(lang).LABELS
    names = ("；" if lang == "zh" else "; ").join(doc_name(r) for r in refs[:ALSO_IN_SHOWN])
    rest = len(refs) - ALSO_IN_SHOWN
    if rest <= 0:
        return names
    return names + ("" if lang == "zh" else " ") + labels["also_more"].format(n=rest)


def by_document(citations: Sequence[C]) -> list[tuple[C, list[str]]]:
    """One entry per cited document, in citation order: its first citation and every section
    cited in it (an answer listing twelve duties of one plan cites the plan once). Citations are
    anything with ``doc_id`` and ``section`` (the bot's stored ones too)."""
    docs: dict[str, tuple[C, list[str]]] = {}
    for c in citations:
        first, sections = docs.setdefault(c.doc_id, (c, []))
        if c.section and c.section not in sections:
            sections.append(c.section)
    return list(docs.values())


def sections_line(sections: list[str], lang: str) -> str:
    """The first section, and how many more: "IV › 1. Sở KH&CN (và 2 mục khác)"."""
    more = f" ({rules(lang).LABELS['sections_more'].format(n=len(sections) - 1)})" if len(sections) > 1 else ""
    return sections[0] + more


def answer_text(answer: Answer) -> str:
    """The reply as the terminal shows it: answer, then each cited document once with its section,
    the other documents holding the same passage and the note on an ended plan."""
    L = rules(answer.lang)
    labels, colon = L.LABELS, L.COLON
    if not answer.found:
        return answer.text
    # a list reads as lines under the label; one clause in quotes after it
    lines = [f"{labels['answer']}{colon.rstrip()}\n{answer.text}" if "\n" in answer.text
             else f"{labels['answer']}{colon}«{answer.text}»"]
    for c, sections in by_document(answer.citations):
        lines.append(f"{labels['source']}{colon}{cite_line(c, answer.lang)}")
        if sections:
            lines.append(f"{labels['section']}{colon}{sections_line(sections, answer.lang)}")
        if c.also_in:
            lines.append(f"{labels['also_in']}{colon}{also_in_names(c.also_in, answer.lang)}")
        if c.period_ended:
            lines.append(labels["period_ended"].format(period=c.period_ended))
    return "\n".join(lines)

"""Answer → what people and programs read: a labelled plain-text reply, or a JSON record.

The JSON record is the one `../shared/EVAL_FORMAT.md` defines ("What the evaluation command
writes"), so `policyqa ask --json` and the evaluation harness print the same thing.
"""

from __future__ import annotations

from dataclasses import asdict

from .lang import rules
from .types import Answer, Citation, DocRef

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


def cite_line(c: Citation, lang: str) -> str:
    """"Kế hoạch … (Số 161/KH-UBND, ngày 2016-10-24)" in the reader's language."""
    labels = rules(lang).LABELS
    details = [f"{labels['number']} {c.number}" if c.number else "", f"{labels['date']} {c.date}" if c.date else ""]
    details = [d for d in details if d]
    return c.title + (f" ({', '.join(details)})" if details else "")


def doc_name(ref: DocRef) -> str:
    """A document as a list of names shows it: its number, else its title (cut), else its id."""
    if ref.number:
        return ref.number
    title = " ".join(ref.title.split())
    if len(title) > NAME_CHARS:
        return title[: NAME_CHARS - 1].rstrip() + "…"
    return title or ref.doc_id


def also_in_names(refs: tuple[DocRef, ...], lang: str) -> str:
    """"161/KH-UBND; 2516/KH-UBND; 34/2014/QĐ-TTg và 2 văn bản khác": the first few, the rest counted."""
    labels = rules(lang).LABELS
    names = ("；" if lang == "zh" else "; ").join(doc_name(r) for r in refs[:ALSO_IN_SHOWN])
    rest = len(refs) - ALSO_IN_SHOWN
    if rest <= 0:
        return names
    return names + ("" if lang == "zh" else " ") + labels["also_more"].format(n=rest)


def answer_text(answer: Answer) -> str:
    """The reply as the terminal shows it: answer, source, section, the other documents holding
    the same passage, note on an ended plan."""
    labels = rules(answer.lang).LABELS
    if not answer.found:
        return answer.text
    lines = [f"{labels['answer']}: «{answer.text}»"]
    shown: set[tuple[str, str]] = set()
    for c in answer.citations:
        if (c.doc_id, c.section) in shown:
            continue  # an answer listing several facts of one section cites it once
        shown.add((c.doc_id, c.section))
        lines.append(f"{labels['source']}: {cite_line(c, answer.lang)}")
        if c.section:
            lines.append(f"{labels['section']}: {c.section}")
        if c.also_in:
            lines.append(f"{labels['also_in']}: {also_in_names(c.also_in, answer.lang)}")
        if c.period_ended:
            lines.append(labels["period_ended"].format(period=c.period_ended))
    return "\n".join(lines)

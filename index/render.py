"""Answer → what people and programs read: a labelled plain-text reply, or a JSON record.

The JSON record is the one `../shared/EVAL_FORMAT.md` defines ("What the evaluation command
writes"), so `policyqa ask --json` and the evaluation harness print the same thing.
"""

from __future__ import annotations

from .lang import rules
from .types import Answer, Citation


def answer_record(answer: Answer, qid: str | None = None) -> dict:
    record = {
        "question": answer.question,
        "found": answer.found,
        "answer": answer.text if answer.found else "",
        "type": answer.qtype,
        "lang": answer.lang,
        "citations": [c.__dict__ for c in answer.citations],
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


def answer_text(answer: Answer) -> str:
    """The reply as the terminal shows it: answer, source, section, note on an ended plan."""
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
        if c.period_ended:
            lines.append(labels["period_ended"].format(period=c.period_ended))
    return "\n".join(lines)

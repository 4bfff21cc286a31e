"""Facts → what people and programs read: plain text for the terminal (and the bot), or JSON.

Labels come from each document's language (FACT_LABELS / LABELS in index/lang/vi.py and zh.py),
so a Vietnamese plan's duties read "Chủ trì / thực hiện" and a Chinese one's "牵头/负责".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from ..lang import rules
from .model import Fact
from .query import DeadlineItem, WhoResult

WIDTH = 160  # a quote longer than this is cut in text listings (JSON keeps it whole)


def _cut(text: str, width: int = WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _lang(doc_id: str, facts: list[Fact], default: str = "vi") -> str:
    return next((f.lang for f in facts if f.doc_id == doc_id), default)


def who_text(result: WhoResult, lang: str | None = None) -> str:
    """``lang``: the reader's language for headings and notes (default: each document's own)."""
    if not result.agencies:
        close = f" Close names: {', '.join(a.label for a in result.suggestions)}." if result.suggestions else ""
        return f"No agency in the facts matches {result.query!r}.{close} Try another spelling, or: policyqa facts --type responsibility"
    if not result.found:
        return f"{', '.join(a.label for a in result.agencies)}: no duties or deadlines in the documents."
    lines = []
    for d in result.docs:
        facts = [x.fact for x in d.lead + d.support] + d.deadlines
        L = rules(lang or _lang(d.doc_id, facts))
        labels = L.FACT_LABELS
        lines.append(f"■ {d.title}  [{d.doc_id}]")
        if d.period_ended:
            lines.append("  " + L.LABELS["period_ended"].format(period=d.period_ended))
        for heading, duties in ((labels["lead_heading"], d.lead), (labels["support_heading"], d.support)):
            if not duties:
                continue
            lines.append(f"  {heading} ({len(duties)}):")
            for x in duties:
                via = f"  ({labels['via'].format(agency=x.via.label)})" if x.via else ""
                lines.append(f"   - {_cut(x.fact.quote)}{via}")
                lines.append(f"     {L.LABELS['section']}: {x.fact.section or '—'}")
        if d.deadlines:
            lines.append(f"  {labels['deadlines_heading']} ({len(d.deadlines)}):")
            for f in d.deadlines:
                lines.append(f"   - {f.payload.when.text}: {_cut(f.quote)}")
        lines.append("")
    return "\n".join(lines).rstrip()


def who_json(result: WhoResult) -> dict:
    def duty(x):
        return {"role": x.role, "via": x.via.label if x.via else None, "task": x.task, **_fact_json(x.fact)}

    return {
        "query": result.query,
        "agencies": [asdict(a) for a in result.agencies],
        "documents": [
            {"doc_id": d.doc_id, "title": d.title, "period_ended": d.period_ended,
             "lead": [duty(x) for x in d.lead], "support": [duty(x) for x in d.support],
             "deadlines": [_fact_json(f) for f in d.deadlines]}
            for d in result.docs
        ],
    }


def deadlines_text(items: list[DeadlineItem], today: dt.date | None = None, lang: str | None = None) -> str:
    if not items:
        return "No deadlines."
    today = today or dt.date.today()
    lines = []
    for it in items:
        L = rules(lang or it.fact.lang)
        labels = L.FACT_LABELS
        when = it.deadline.when
        dates = ", ".join(d.isoformat() for d in it.occurrences) if it.occurrences else (it.due.isoformat() if it.due else labels["no_date"])
        mark = f" ({labels['yearly']})" if it.yearly else (" ✓" if it.due and it.due < today else "")
        who = f" [{it.deadline.agency.label}]" if it.deadline.agency else ""
        lines.append(f"{dates}{mark}  {when.text}{who}")
        lines.append(f"    {_cut(it.deadline.what, 120)}")
        ended = f" — {L.LABELS['period_ended'].format(period=it.period_ended)}" if it.period_ended else ""
        lines.append(f"    {_cut(it.title, 90)} [{it.fact.doc_id}] › {it.fact.section or '—'}{ended}")
    return "\n".join(lines)


def deadlines_json(items: list[DeadlineItem]) -> list[dict]:
    return [{"due": it.due.isoformat() if it.due else None, "occurrences": [d.isoformat() for d in it.occurrences],
             "yearly": it.yearly, "title": it.title, "period_ended": it.period_ended, **_fact_json(it.fact)}
            for it in items]


def facts_text(facts: list[Fact]) -> str:
    if not facts:
        return "No facts."
    lines = []
    for f in facts:
        lines.append(f"[{f.type}] {f.doc_id}:{f.line}  {_cut(f.summary())}")
        lines.append(f"    «{_cut(f.quote)}»  › {f.section or '—'}")
    return "\n".join(lines)


def facts_json(facts: list[Fact]) -> list[dict]:
    return [_fact_json(f) for f in facts]


def _fact_json(f: Fact) -> dict:
    return f.to_dict()

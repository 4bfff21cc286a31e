"""/who and /deadlines for a phone: a short summary first, then pages opened with inline buttons.

Each view is one message (edited in place as the user taps through), so nothing is split across
messages: a /who summary counts an agency's tasks per document, a document's page lists whole
clauses (or clauses cut at a sentence or word boundary) with their section; /deadlines lists the
next deadlines of plans in force, with a button for those of ended plans. Documents are named by
number (or title), dates as users write them (30/12/2026, 2026年12月30日), labels in the chat's
language. Views are pure functions of the facts; bot/handlers.py sends and edits them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from index.facts.model import Agency
from index.facts.query import DeadlineItem, DocDuties, WhoResult
from index.lang import rules
from index.sentences import clip
from index.types import DocMeta

from . import callbacks as cb
from .formatting import Block, Span, format_date
from .i18n import t

NAME_CHARS = 40  # a document named by its title (no number) in a line or a button
SECTION_CHARS = 100  # a section path under an item
WHAT_CHARS = 200  # what a deadline asks for, in the /deadlines list


@dataclass(frozen=True)
class View:
    """One message: its blocks and the keyboard under it."""

    blocks: list[Block]
    keyboard: InlineKeyboardMarkup | None = None


@dataclass(frozen=True)
class Paging:
    """How long lists are cut: items a page and characters an item (BotSettings)."""

    items: int = 5
    chars: int = 300


def doc_name(doc_id: str, metas: Mapping[str, DocMeta], fallback: str = "") -> str:
    """A document as users know it: its number, or its title cut short; never its file name."""
    meta = metas.get(doc_id)
    if meta and meta.number:
        return meta.number
    return clip(meta.title if meta else fallback or doc_id, NAME_CHARS)


def _pages(n: int, per_page: int) -> int:
    return max(1, -(-n // per_page))


def _nav(prev: str | None, nxt: str | None, page: int, pages: int, ui: str) -> list[InlineKeyboardButton]:
    row = []
    if prev:
        row.append(InlineKeyboardButton(t(ui, "btn_prev"), callback_data=prev))
    if pages > 1:
        row.append(InlineKeyboardButton(t(ui, "page", page=page + 1, pages=pages), callback_data=cb.noop()))
    if nxt:
        row.append(InlineKeyboardButton(t(ui, "btn_next"), callback_data=nxt))
    return row


def _agencies(result: WhoResult) -> str:
    return ", ".join(dict.fromkeys(a.label for a in result.agencies))


# --- /who ----------------------------------------------------------------------------------------


def no_agency(result: WhoResult, ui: str, keys: Mapping[str, str]) -> View:
    """No agency matched: say so, and offer the close names (``keys``: label → list key) to tap."""
    blocks: list[Block] = [[Span(t(ui, "who_none", query=result.query))]]
    if keys:
        blocks.append([Span(t(ui, "who_close"))])
        rows = [[InlineKeyboardButton(label, callback_data=cb.who(key))] for label, key in keys.items()]
        return View(blocks, InlineKeyboardMarkup(rows))
    blocks.append([Span(t(ui, "who_usage"))])
    return View(blocks)


def _counts(d: DocDuties, ui: str) -> str:
    parts = [(len(d.lead), "who_lead"), (len(d.support), "who_support"), (len(d.deadlines), "who_deadlines")]
    return ", ".join(t(ui, label, n=n) for n, label in parts if n)


def who_summary(result: WhoResult, metas: Mapping[str, DocMeta], ui: str, key: str, page: int, paging: Paging) -> View:
    """The agency's tasks counted per document, a button for each document of this page."""
    if not result.found:
        return View([[Span(t(ui, "who_nothing", agency=_agencies(result)))]])
    total = sum(len(d.lead) + len(d.support) + len(d.deadlines) for d in result.docs)
    pages = _pages(len(result.docs), paging.items)
    page = min(page, pages - 1)
    first = page * paging.items
    blocks: list[Block] = [[Span("🏛 "), Span(_agencies(result), "b"),
                            Span("\n" + t(ui, "who_total", n=total, docs=len(result.docs)))]]
    rows = []
    for i, d in enumerate(result.docs[first:first + paging.items], start=first):
        name = doc_name(d.doc_id, metas, d.title)
        meta = metas.get(d.doc_id)
        line: list[Span] = [Span(f"{i + 1}. "), Span(name, "b")]
        if meta and meta.number:  # the number alone says little: the title under it
            line += [Span("\n"), Span(clip(meta.title, paging.chars // 2), "i")]
        line.append(Span("\n" + _counts(d, ui)))
        if d.period_ended:
            line.append(Span(f" · ⚠️ {t(ui, 'ended')} ({d.period_ended})"))
        blocks.append(line)
        rows.append([InlineKeyboardButton(f"{i + 1}. {clip(name, NAME_CHARS)}", callback_data=cb.who(key, i, 0))])
    blocks.append([Span(t(ui, "who_pick"), "i")])
    nav = _nav(cb.who_docs(key, page - 1) if page else None,
               cb.who_docs(key, page + 1) if page + 1 < pages else None, page, pages, ui)
    if nav:
        rows.append(nav)
    return View(blocks, InlineKeyboardMarkup(rows))


def _duty_items(d: DocDuties, ui: str) -> list[tuple[str, str, str, str]]:
    """(heading, clause, note, section) of each item of a document: its duties (the note says who
    leads one it supports), then its deadlines."""
    labels = rules(ui).FACT_LABELS
    items = []
    for heading, duties in ((labels["lead_heading"], d.lead), (labels["support_heading"], d.support)):
        for x in duties:
            via = f" ({labels['via'].format(agency=x.via.label)})" if x.via else ""
            items.append((heading, x.fact.quote, via, x.fact.section))
    for f in d.deadlines:
        items.append((labels["deadlines_heading"], f"{f.payload.when.text}: {f.payload.what}", "", f.section))
    return items


def who_page(result: WhoResult, metas: Mapping[str, DocMeta], ui: str, key: str, doc: int, page: int,
             paging: Paging) -> View:
    """One page of an agency's items in one document, each under its heading, with its section."""
    d = result.docs[doc]
    items = _duty_items(d, ui)
    pages = _pages(len(items), paging.items)
    page = min(page, pages - 1)
    first = page * paging.items
    head: list[Span] = [Span("🏛 "), Span(_agencies(result), "b"), Span(" · "), Span(doc_name(d.doc_id, metas, d.title), "b")]
    meta = metas.get(d.doc_id)
    if meta and meta.number:
        head += [Span("\n"), Span(clip(meta.title, paging.chars // 2), "i")]
    if d.period_ended:
        head += [Span("\n"), Span(f"⚠️ {t(ui, 'plan_ended', period=d.period_ended)}", "i")]
    blocks: list[Block] = [head]
    section_label = rules(ui).LABELS["section"]
    heading = None
    for i, (h, clause, note, section) in enumerate(items[first:first + paging.items], start=first):
        block: list[Span] = []
        if h != heading:
            block += [Span(h, "b"), Span("\n")]
            heading = h
        block.append(Span(f"{i + 1}. {clip(clause, paging.chars - len(note))}{note}"))
        if section:
            block += [Span("\n"), Span(f"{section_label}: {clip(section, SECTION_CHARS)}", "i")]
        blocks.append(block)
    rows = []
    nav = _nav(cb.who(key, doc, page - 1) if page else None,
               cb.who(key, doc, page + 1) if page + 1 < pages else None, page, pages, ui)
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton(t(ui, "btn_back_docs"), callback_data=cb.who_docs(key, doc // paging.items))])
    return View(blocks, InlineKeyboardMarkup(rows))


# --- /deadlines ----------------------------------------------------------------------------------


def _when(item: DeadlineItem, ui: str, today: dt.date) -> str:
    """The due date as users write it, or the time limit as the document says it."""
    labels = rules(ui).FACT_LABELS
    if item.due is None:
        return item.deadline.when.text
    date = format_date(item.due.isoformat(), ui) or ""
    if item.yearly:
        return f"{date} ({labels['yearly']})"
    return f"{date} ({t(ui, 'past')})" if item.due < today else date


def deadline_block(item: DeadlineItem, metas: Mapping[str, DocMeta], ui: str, today: dt.date) -> Block:
    """📅 the date (or time limit) · who, what is due, the plan › its section, ⚠️ when it ended."""
    line: list[Span] = [Span("📅 "), Span(_when(item, ui, today), "b")]
    if item.deadline.agency:
        line.append(Span(" · " + item.deadline.agency.label))
    line.append(Span("\n" + clip(item.deadline.what, WHAT_CHARS)))
    where = doc_name(item.fact.doc_id, metas, item.title)
    if item.fact.section:
        where += f" › {rules(ui).LABELS['section']}: {clip(item.fact.section, SECTION_CHARS)}"
    line += [Span("\n"), Span(where, "i")]
    if item.period_ended:
        line.append(Span(f"\n⚠️ {t(ui, 'plan_ended', period=item.period_ended)}"))
    return line


def deadlines_view(items: list[DeadlineItem], metas: Mapping[str, DocMeta], ui: str, *, ended: bool, page: int,
                   paging: Paging, today: dt.date | None = None) -> View:
    """A page of deadlines, next due first: of plans in force, or (``ended``) of every plan."""
    today = today or dt.date.today()
    hidden = [i for i in items if i.period_ended]
    shown = items if ended else [i for i in items if not i.period_ended]
    mode = "a" if ended else "f"
    pages = _pages(len(shown), paging.items)
    page = min(page, pages - 1)
    first = page * paging.items
    title = t(ui, "deadlines_all" if ended else "deadlines_in_force", n=len(shown))
    blocks: list[Block] = [[Span("⏰ "), Span(title, "b")]]
    if not shown:
        blocks.append([Span(t(ui, "deadlines_none"))])
    blocks += [deadline_block(item, metas, ui, today) for item in shown[first:first + paging.items]]
    if hidden and not ended:
        plans = len({i.fact.doc_id for i in hidden})
        blocks.append([Span(t(ui, "deadlines_hidden", n=len(hidden), plans=plans), "i")])
    rows = []
    nav = _nav(cb.deadlines(mode, page - 1) if page else None,
               cb.deadlines(mode, page + 1) if page + 1 < pages else None, page, pages, ui)
    if nav:
        rows.append(nav)
    if hidden:
        toggle = t(ui, "btn_hide_ended") if ended else t(ui, "btn_show_ended", n=len(hidden))
        rows.append([InlineKeyboardButton(toggle, callback_data=cb.deadlines("f" if ended else "a", 0))])
    return View(blocks, InlineKeyboardMarkup(rows) if rows else None)


def suggestion_labels(suggestions: list[Agency]) -> list[str]:
    return list(dict.fromkeys(a.label for a in suggestions))

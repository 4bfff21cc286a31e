"""Questions officials and citizens ask of the facts: who does what, what is due when, which facts.

Plain functions over a build's facts.sqlite, for the CLI and the bot; none of them loads the
embedding model. ``source`` may be an ``Engine``, a ``StoredIndex``, a ``FactStore``, a build
folder, an index folder (its current build) or the facts.sqlite file itself.

    who(source, "Sở Y tế", doc="Kon Tum")      → WhoResult: duties grouped by document, lead / support
    deadlines(source, start=…, end=…)          → [DeadlineItem] sorted by next due date
    facts(source, type="amount", doc="003")    → [Fact]
    to_ics(deadlines(source))                  → bytes of an iCalendar file (index/facts/calendar.py)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..lang import vi
from .agencies import canonical, nearest, resolve
from .dates import next_due, occurrences
from .model import FACT_TYPES, Agency, Deadline, Fact, Responsibility
from .store import FILENAME, FactStore, load_facts


class FactsUnavailable(Exception):
    """No facts to read: no index yet, or one built before facts existed."""


def open_store(source) -> FactStore:
    """The FactStore behind ``source`` (see the module docstring for what it may be)."""
    if isinstance(source, FactStore):
        return source
    path = None
    if hasattr(source, "index") and hasattr(source.index, "path"):  # an Engine
        path = Path(source.index.path) / FILENAME
    elif hasattr(source, "path") and hasattr(source, "manifest"):  # a StoredIndex
        path = Path(source.path) / FILENAME
    elif isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_file():
            path = p
        elif (p / FILENAME).is_file():
            path = p / FILENAME
        else:
            from ..store import current_build

            build = current_build(p)
            if build is None:
                raise FactsUnavailable(f"no index at {p}; build one with: policyqa build")
            path = build / FILENAME
    if path is None:
        raise TypeError(f"cannot read facts from {type(source).__name__}")
    if not path.is_file():
        raise FactsUnavailable(f"the index at {path.parent} has no facts (built by an older version); rebuild it with: policyqa build")
    return load_facts(path)


# --- documents -----------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", vi.fold(text or "").lower()).strip()


def select_docs(store: FactStore, doc: str | None) -> set[str] | None:
    """The documents ``doc`` names: a file name, its first characters ("001"), its number
    ("2516/KH-UBND") or words of its title or place ("Kon Tum", "kon tum", "郴州"). None = all."""
    if not doc:
        return None
    want = _fold(doc)
    exact = {d for d in store.documents if d == doc or d.startswith(doc)}
    if exact:
        return exact
    found = set()
    for d, info in store.documents.items():
        hay = _fold(" ".join(str(info.get(k) or "") for k in ("title", "number", "place", "doc_id")))
        if want in hay or all(w in hay for w in want.split()):
            found.add(d)
    if not found:
        names = ", ".join(f"{d} ({store.documents[d].get('place') or store.documents[d].get('title')})" for d in sorted(store.documents))
        raise LookupError(f"no document matches {doc!r}; documents: {names}")
    return found


def period_ended(store: FactStore, doc_id: str, today: dt.date | None = None) -> str | None:
    """The plan's period ("2016-2020") when it is over, for "this plan has ended" notes."""
    info = store.documents.get(doc_id, {})
    year = (today or dt.date.today()).year
    if info.get("period") and info.get("period_end") and int(info["period_end"]) < year:
        return info["period"]
    return None


# --- who -----------------------------------------------------------------------------------------


def _named(store: FactStore, agency: str) -> tuple[list[Agency], Callable[[Agency], bool]]:
    """The agencies a typed name resolves to, and whether a fact's agency is one of them: a name
    saying a level ("县民政局") takes that level and facts whose level the text does not say."""
    targets = resolve(agency, store.agencies())
    level = canonical(agency).level
    ids = {a.id for a in targets}

    def named(a: Agency | None) -> bool:
        return a is not None and a.id in ids and (level is None or a.level is None or a.level == level)

    return targets, named


@dataclass
class Duty:
    fact: Fact
    agency: Agency  # the agency as this fact names it
    role: str  # "lead" or "support"
    via: Agency | None = None  # a support duty read from the lead agency's "phối hợp với …" list

    @property
    def task(self) -> str:
        return self.fact.payload.task if isinstance(self.fact.payload, Responsibility) else self.fact.quote


@dataclass
class DocDuties:
    doc_id: str
    title: str
    period_ended: str | None
    lead: list[Duty] = field(default_factory=list)
    support: list[Duty] = field(default_factory=list)
    deadlines: list[Fact] = field(default_factory=list)


@dataclass
class WhoResult:
    query: str
    agencies: list[Agency]  # what the query resolved to
    docs: list[DocDuties]  # the documents naming the query's place first
    suggestions: list[Agency] = field(default_factory=list)  # close names, when nothing matched

    @property
    def found(self) -> bool:
        return any(d.lead or d.support or d.deadlines for d in self.docs)


def who(source, agency: str, *, doc: str | None = None, today: dt.date | None = None) -> WhoResult:
    """What ``agency`` (any spelling: "Sở LĐTBXH", "so y te", "县民政局") must do, per document:
    its own duties (lead), the duties where it works with others (support, including being named
    in another agency's "phối hợp với …" list) and the deadlines it must meet.

    A query naming a level ("郴州市民政局") takes only duties of that level or of none said, and
    documents of the place it names come first; a query matching nothing gets close names."""
    store = open_store(source)
    doc_ids = select_docs(store, doc)
    targets, named = _named(store, agency)
    if not targets:
        return WhoResult(agency, [], [], suggestions=nearest(agency, store.agencies()))

    by_doc: dict[str, DocDuties] = {}

    def slot(doc_id: str) -> DocDuties:
        if doc_id not in by_doc:
            by_doc[doc_id] = DocDuties(doc_id, store.meta_of(doc_id).title, period_ended(store, doc_id, today))
        return by_doc[doc_id]

    for f in store.facts("responsibility", doc_ids):
        p = f.payload
        if named(p.agency):
            duty = Duty(f, p.agency, p.role)
            (slot(f.doc_id).lead if p.role == "lead" else slot(f.doc_id).support).append(duty)
        elif p.role == "lead" and (partner := next((a for a in p.partners if named(a)), None)):
            slot(f.doc_id).support.append(Duty(f, partner, "support", via=p.agency))
    for f in store.facts("deadline", doc_ids):
        if named(f.payload.agency):
            slot(f.doc_id).deadlines.append(f)
    asked = _fold(agency)
    order = {d: i for i, d in enumerate(store.documents)}

    def rank(d: DocDuties) -> tuple[bool, int]:
        place = _fold(store.documents.get(d.doc_id, {}).get("place") or "")
        return (not (place and place in asked), order.get(d.doc_id, 0))

    return WhoResult(agency, targets, sorted(by_doc.values(), key=rank))


# --- deadlines -----------------------------------------------------------------------------------


@dataclass
class DeadlineItem:
    fact: Fact
    due: dt.date | None  # the next due date (yearly), the date, or the end of a period
    occurrences: list[dt.date]  # within the range asked for (one a year for yearly ones)
    title: str
    period_ended: str | None
    doc_date: str | None = None  # the plan's date of issue: where a yearly rule starts
    period_end: int | None = None  # the plan's last year: where a yearly rule ends

    @property
    def deadline(self) -> Deadline:
        return self.fact.payload

    @property
    def yearly(self) -> bool:
        return self.deadline.when.kind == "yearly"


def deadlines(source, *, doc: str | None = None, agency: str | None = None, start: dt.date | None = None,
              end: dt.date | None = None, today: dt.date | None = None, ended: bool = True) -> list[DeadlineItem]:
    """Deadlines sorted by their next due date (upcoming first, then past one-offs, then time limits
    without a date). With ``start``/``end``, only those due in that range, yearly ones expanded to
    one occurrence a year; with ``agency``, those it must meet; ``ended=False`` leaves out plans
    whose period is over."""
    store = open_store(source)
    doc_ids = select_docs(store, doc)
    named = _named(store, agency)[1] if agency else None
    today = today or dt.date.today()
    items = []
    for f in store.facts("deadline", doc_ids):
        if named and not named(f.payload.agency):
            continue
        over = period_ended(store, f.doc_id, today)
        if over and not ended:
            continue
        when = f.payload.when
        due = next_due(when, today)
        meta = store.meta_of(f.doc_id)
        # a yearly deadline recurs while its plan runs: after the plan's last year, its last time was then
        last = dt.date(meta.period_end, 12, 31) if when.kind == "yearly" and meta.period_end else None
        if last and due and due > last:
            due = (occurrences(when, dt.date(meta.period_end, 1, 1), last) or [due])[-1]
        occ: list[dt.date] = []
        if start or end:
            lo, hi = start or dt.date(1900, 1, 1), end or dt.date(2100, 12, 31)
            occ = occurrences(when, lo, min(hi, last) if last else hi)
            if when.kind == "period" and not occ and when.start and dt.date.fromisoformat(when.start) <= hi and due and due >= lo:
                occ = [due]  # a period running through the range counts, due at its end
            if not occ:
                continue
            due = occ[0]
        items.append(DeadlineItem(f, due, occ, meta.title, over, meta.date, meta.period_end))

    def order(item: DeadlineItem):
        if item.due is None:
            return (2, dt.date.max, item.fact.start)
        return (1 if item.due < today else 0, item.due, item.fact.start)

    return sorted(items, key=order)


# --- facts ---------------------------------------------------------------------------------------


def facts(source, *, type: str | None = None, doc: str | None = None) -> list[Fact]:
    """Every fact, or those of one ``type`` (responsibility, deadline, eligibility, amount) / ``doc``."""
    if type and type not in FACT_TYPES:
        raise ValueError(f"unknown fact type {type!r}; choose one of {', '.join(FACT_TYPES)}")
    store = open_store(source)
    return store.facts(type, select_docs(store, doc))

"""Reminders before deadlines (/remind): which are due on a day, and what each says.

A chat subscribes to an agency's deadlines ("/remind Sở Y tế") or a plan's ("/remind 385/KH-UBND"),
some days ahead (default 7). A JobQueue job (bot/app.py) asks `due` every reminder_check_seconds:
each deadline of a plan in force falling due within that many days is one `Reminder`, which the
handler claims in the storage before sending, so neither the next check nor a restart sends it twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from index.facts import query
from index.facts.agencies import resolve as resolve_agency
from index.facts.calendar import uid
from index.types import DocMeta

from .formatting import Span
from .i18n import t
from .listings import View, deadline_block
from .storage import Subscription


@dataclass(frozen=True)
class Reminder:
    subscription: Subscription
    item: query.DeadlineItem

    @property
    def deadline(self) -> str:
        """The deadline's stable id (the .ics UID): what "sent once" is counted on, with the date."""
        return uid(self.item)

    @property
    def due(self) -> dt.date:
        return self.item.due


def resolve(source, text: str) -> str | None:
    """What ``/remind TEXT`` subscribes to: "agency" when the facts name such an agency, "plan"
    when a document is named by number, place or title words, None when neither."""
    store = query.open_store(source)
    if resolve_agency(text, store.agencies()):
        return "agency"
    try:
        query.select_docs(store, text)
    except LookupError:
        return None
    return "plan"


def due(source, subscriptions: list[Subscription], today: dt.date) -> Iterator[Reminder]:
    """The reminders to send on ``today``: deadlines of plans in force within each subscription's days."""
    for sub in subscriptions:
        scope = {"doc": sub.query} if sub.kind == "plan" else {"agency": sub.query}
        try:
            items = query.deadlines(source, today=today, ended=False, **scope)
        except LookupError:  # the plan was taken out of the corpus since
            continue
        for item in items:
            if item.due and today <= item.due <= today + dt.timedelta(days=sub.days):
                yield Reminder(sub, item)


def message(reminder: Reminder, metas: Mapping[str, DocMeta], today: dt.date) -> View:
    """⏰ how many days are left, then the deadline as /deadlines shows it."""
    ui = reminder.subscription.lang
    left = (reminder.due - today).days
    head = t(ui, "remind_today") if left == 0 else t(ui, "remind_in", n=left)
    return View([[Span("⏰ "), Span(head, "b")], deadline_block(reminder.item, metas, ui, today),
                 [Span(t(ui, "remind_why", query=reminder.subscription.query), "i")]])

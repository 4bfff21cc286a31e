"""Deadlines → an iCalendar file (RFC 5545) that calendar apps import.

Yearly deadlines are one event each with an RRULE (FREQ=YEARLY;BYMONTH=…;BYMONTHDAY=…) starting
at the first occurrence after the plan was issued; "every November" is a month-long yearly event;
one-off dates are all-day events; a yearly rule ends with its plan's period (UNTIL the last day of
its last year), so an ended plan's deadlines never recur past it; a period ("Quý IV năm 2020", "2024年1—6月") is an all-day event
on its due date, the period's last day. Time limits without a date ("10个工作日内") are left out.
Each event says what is due, who must meet it, the quote, the plan and its section, and whether
the plan's period is over.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib

from icalendar import Calendar, Event, vRecur

from .query import DeadlineItem

PRODID = "-//policyqa//facts deadlines//VI-ZH"


def uid(item: DeadlineItem) -> str:
    """The deadline's id, the same in every export and across rebuilds of an unchanged document."""
    f = item.fact
    return hashlib.sha1(f"{f.doc_id}|{f.start}|{f.key}".encode()).hexdigest()[:20] + "@policyqa"


def _first_yearly(month: int, day: int | None, after: dt.date) -> dt.date:
    """The first occurrence of a yearly deadline (a whole month when ``day`` is None) not over by ``after``."""
    for year in (after.year, after.year + 1):
        last = calendar.monthrange(year, month)[1]
        if dt.date(year, month, min(day or last, last)) >= after:
            return dt.date(year, month, min(day or 1, last))
    raise AssertionError("unreachable: a yearly date recurs within a year")


def _iso(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _summary(item: DeadlineItem) -> str:
    d = item.deadline
    who = f"[{d.agency.label}] " if d.agency else ""
    what = d.what if len(d.what) <= 110 else d.what[:109].rstrip() + "…"
    return f"{who}{what}"


def _description(item: DeadlineItem) -> str:
    f = item.fact
    lines = [f"{item.deadline.when.text}", f"«{f.quote}»", item.title]
    if f.section:
        lines.append(f.section)
    if item.period_ended:
        lines.append(("该文件适用于{p}，实施期已结束。" if f.lang == "zh" else "Kế hoạch này áp dụng cho giai đoạn {p}, đã kết thúc.")
                     .format(p=item.period_ended))
    lines.append(f.doc_id)
    return "\n".join(lines)


def to_ics(items: list[DeadlineItem], *, name: str = "policyqa deadlines", until: dt.date | None = None,
           stamp: dt.datetime | None = None) -> bytes:
    """An iCalendar file of ``items`` (from ``query.deadlines``); ``until`` ends yearly rules."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for item in items:
        when = item.deadline.when
        ev = Event()
        ev.add("uid", uid(item))
        ev.add("dtstamp", stamp)
        ev.add("summary", _summary(item))
        ev.add("description", _description(item))
        if item.deadline.agency:
            ev.add("categories", [item.deadline.agency.label])
        if when.kind == "yearly" and when.month:
            # from the plan's date of issue, or from the start of the range asked for
            after = item.occurrences[0] if item.occurrences else (_iso(item.doc_date) or dt.date.today())
            first = _first_yearly(when.month, when.day, after)
            rule = {"freq": "yearly", "bymonth": when.month}
            if when.day:
                rule["bymonthday"] = when.day
            ends = [d for d in (until, dt.date(item.period_end, 12, 31) if item.period_end else None) if d]
            if ends:
                rule["until"] = min(ends)
            ev.add("dtstart", first)
            if when.day:
                ev.add("dtend", first + dt.timedelta(days=1))
            else:  # "vào tháng 11 hàng năm": the whole month
                nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
                ev.add("dtend", nxt)
            ev.add("rrule", vRecur(rule))
        elif item.due is not None:
            ev.add("dtstart", item.due)
            ev.add("dtend", item.due + dt.timedelta(days=1))
        else:
            continue  # a time limit with no date cannot go on a calendar
        cal.add_component(ev)
    return cal.to_ical()

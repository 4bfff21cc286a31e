"""Dates and periods as written → ISO dates, periods and yearly recurrences.

The forms are language-specific and live in the facts sections of index/lang/vi.py and zh.py
(FACT_DATE_PATTERNS: a kind and a regex with named groups); this module turns a match into a
DateSpec, whatever the language:

    "trước ngày 15 tháng 11 hằng năm"  → yearly, FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15
    "chậm nhất 30/12 hàng năm"         → yearly, FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30
    "trước ngày 28/10/2020"            → date 2020-10-28
    "Quý IV năm 2020"                  → period 2020-10-01..2020-12-31 (due 2020-12-31)
    "2024年1—6月"                      → period 2024-01-01..2024-06-30
    "每年11月15日前" / "每年年前"        → yearly 11-15 / yearly 12-31
    "22/4/201"                          → unparsed (a truncated year is reported, never a crash)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..lang import rules
from .model import DateSpec

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
MIN_YEAR, MAX_YEAR = 1900, 2100


def find_dates(text: str, lang: str) -> list[DateSpec]:
    """Every date expression in ``text``, in order; where two forms overlap the earlier kind wins."""
    taken: list[tuple[int, int]] = []
    found: list[DateSpec] = []
    for kind, pattern in rules(lang).FACT_DATE_PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            if any(a < tb and ta < b for ta, tb in taken):
                continue
            taken.append((a, b))
            found.append(_spec(kind, m))
    return sorted(found, key=lambda s: s.span)


def normalize_date(text: str, lang: str | None = None) -> DateSpec | None:
    """The first date expression in ``text`` (language guessed from the script when not given)."""
    if lang is None:
        lang = "zh" if re.search("[\u4e00-\u9fff]", text) else "vi"
    found = find_dates(text, lang)
    return found[0] if found else None


def _spec(kind: str, m: re.Match[str]) -> DateSpec:
    g = m.groupdict()
    text, span = m.group(0).strip(), m.span()
    try:
        if kind == "yearly_day":
            month, day = int(g["m"]), int(g["d"])
            dt.date(2000, month, day)  # a leap year: 29/2 is a valid yearly day
            return DateSpec("yearly", text, rrule=f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}",
                            month=month, day=day, span=span)
        if kind == "yearly_month":
            month = int(g["m"])
            dt.date(2000, month, 1)
            return DateSpec("yearly", text, rrule=f"FREQ=YEARLY;BYMONTH={month}", month=month, span=span)
        if kind == "yearly_yearend":
            return DateSpec("yearly", text, rrule="FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", month=12, day=31, span=span)
        if kind == "date":
            day = _date(int(g["y"]), int(g["m"]), int(g["d"]))
            return DateSpec("date", text, date=day.isoformat(), span=span)
        if kind == "year_end":
            return DateSpec("date", text, date=_date(int(g["y"]), 12, 31).isoformat(), span=span)
        if kind == "relative":
            return DateSpec("relative", text, span=span)
        start, end = _period(kind, g)
        if start > end:
            raise ValueError("period ends before it starts")
        return DateSpec("period", text, date=end.isoformat(), start=start.isoformat(), end=end.isoformat(), span=span)
    except (ValueError, KeyError, TypeError):
        return DateSpec("unparsed", text, span=span)


def _period(kind: str, g: dict) -> tuple[dt.date, dt.date]:
    if kind == "quarter":
        y, q = int(g["y"]), _ROMAN[g["q"].upper()]
        return _date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    if kind == "month":
        y, m = int(g["y"]), int(g["m"])
        return _date(y, m, 1), _month_end(y, m)
    if kind == "month_range":
        y = int(g["y"])
        return _date(y, int(g["m1"]), 1), _month_end(y, int(g["m2"]))
    if kind == "half":
        y = int(g["y"])
        return (_date(y, 1, 1), _date(y, 6, 30)) if g["h"] == "上" else (_date(y, 7, 1), _date(y, 12, 31))
    if kind == "year_range":
        return _date(int(g["y1"]), 1, 1), _date(int(g["y2"]), 12, 31)
    if kind == "year":
        y = int(g["y"])
        return _date(y, 1, 1), _date(y, 12, 31)
    raise ValueError(f"unknown date kind {kind}")  # a malformed date lands here too


def _date(y: int, m: int, d: int) -> dt.date:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"year {y} out of range")
    return dt.date(y, m, d)


def _month_end(y: int, m: int) -> dt.date:
    if not 1 <= m <= 12:
        raise ValueError(f"month {m}")
    return _date(y, m, calendar.monthrange(y, m)[1])


# --- occurrences ---------------------------------------------------------------------------------


def occurrences(spec: DateSpec, start: dt.date, end: dt.date) -> list[dt.date]:
    """Due dates of ``spec`` within [start, end]: one for a dated deadline, one a year for yearly."""
    if spec.kind == "yearly" and spec.month:
        out = []
        for year in range(start.year, end.year + 1):
            day = spec.day or calendar.monthrange(year, spec.month)[1]
            day = min(day, calendar.monthrange(year, spec.month)[1])  # 29/2 in a common year
            d = dt.date(year, spec.month, day)
            if start <= d <= end:
                out.append(d)
        return out
    if spec.date:
        d = dt.date.fromisoformat(spec.date)
        return [d] if start <= d <= end else []
    return []


def next_due(spec: DateSpec, today: dt.date) -> dt.date | None:
    """The next due date on or after ``today``; for a past one-off deadline, its date."""
    if spec.kind == "yearly":
        found = occurrences(spec, today, today.replace(year=today.year + 1))
        return found[0] if found else None
    return dt.date.fromisoformat(spec.date) if spec.date else None


def parse_iso(text: str) -> dt.date:
    """A --from / --to argument: "2024-01-31", "2024-01" (first day) or "2024"."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)")

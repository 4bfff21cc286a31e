"""The deadlines' iCalendar file, read back the way a calendar app would (icalendar)."""

import datetime as dt

from icalendar import Calendar

from index.facts import query
from index.facts.calendar import to_ics

from .conftest import KON_TUM


def _events(ics: bytes):
    cal = Calendar.from_ical(ics)
    return list(cal.walk("VEVENT"))


def _rule(ev) -> dict:
    r = ev.get("rrule")
    return {k.upper(): [str(x).upper() for x in v] for k, v in r.items()} if r else {}


def test_kon_tum_yearly_and_ha_tinh_one_off(index_dir, tmp_path):
    path = tmp_path / "x.ics"
    path.write_bytes(to_ics(query.deadlines(index_dir)))
    events = _events(path.read_bytes())
    yearly = {}
    for ev in events:
        rule = _rule(ev)
        if rule:
            assert rule["FREQ"] == ["YEARLY"]
            if "BYMONTHDAY" in rule:
                yearly.setdefault((int(rule["BYMONTH"][0]), int(rule["BYMONTHDAY"][0])), []).append(ev)
    for month, day in ((11, 15), (11, 30), (12, 10), (12, 30)):
        evs = yearly[(month, day)]
        assert any(KON_TUM in str(ev.get("description")) for ev in evs)
        start = evs[0].get("dtstart").dt
        assert (start.month, start.day) == (month, day) and start >= dt.date(2014, 10, 3)  # after the plan was issued
    one_off = [ev for ev in events if not _rule(ev) and ev.get("dtstart").dt == dt.date(2020, 10, 28)]
    assert len(one_off) == 1
    assert "Sở Khoa học và Công nghệ" in str(one_off[0].get("description"))


def test_every_event_is_well_formed(index_dir):
    events = _events(to_ics(query.deadlines(index_dir)))
    assert len({str(ev.get("uid")) for ev in events}) == len(events)
    for ev in events:
        assert ev.get("dtstamp") and ev.get("summary") and ev.get("dtstart") and ev.get("dtend")
        assert ev.get("dtend").dt > ev.get("dtstart").dt


def test_every_november_is_a_month_long_yearly_event(index_dir):
    ev = next(ev for ev in _events(to_ics(query.deadlines(index_dir, doc="Kon Tum"))) if _rule(ev) and "BYMONTHDAY" not in _rule(ev))
    assert ev.get("dtstart").dt == dt.date(2014, 11, 1) and ev.get("dtend").dt == dt.date(2014, 12, 1)


def test_periods_fall_on_their_due_date_and_time_limits_are_left_out(index_dir):
    events = _events(to_ics(query.deadlines(index_dir)))
    starts = {ev.get("dtstart").dt for ev in events}
    assert dt.date(2024, 6, 30) in starts  # "2024年1—6月"
    assert not any("10个工作日内" in str(ev.get("description")) for ev in events)


def test_ended_plans_say_so(index_dir):
    ev = next(ev for ev in _events(to_ics(query.deadlines(index_dir, doc="Kon Tum"))))
    assert "đã kết thúc" in str(ev.get("description"))


def test_a_range_ends_yearly_rules(index_dir):
    items = query.deadlines(index_dir, doc="Kon Tum", start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31))
    for ev in _events(to_ics(items, until=dt.date(2027, 12, 31))):
        assert ev.get("dtstart").dt.year == 2026
        assert "UNTIL" in {k.upper() for k in ev.get("rrule")}

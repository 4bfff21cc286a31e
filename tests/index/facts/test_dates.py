"""Dates and periods as written in the plans → ISO dates, periods, yearly rules (both languages)."""

import datetime as dt

import pytest

from index.facts.dates import find_dates, next_due, normalize_date, occurrences, parse_iso


@pytest.mark.parametrize(
    "text, rrule",
    [
        ("trước ngày 15 tháng 11 hằng năm", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15"),
        ("Trước ngày 15 tháng 11 hàng năm, Ủy ban nhân dân cấp xã", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15"),
        ("(chậm nhất 30/12 hàng năm).", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30"),
        ("trước ngày 05 tháng 01 hằng năm", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=5"),  # leading zeros
        ("chậm nhất ngày 05/01 mỗi năm", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=5"),
        ("trước ngày 29 tháng 2 hằng năm", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),  # valid in leap years
        ("vào tháng 11 hàng năm", "FREQ=YEARLY;BYMONTH=11"),  # every November: a yearly month
        ("每年11月15日前报送", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15"),
        ("每年 3 月 1 日前", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
        ("每年11月底前上报", "FREQ=YEARLY;BYMONTH=11"),
        ("县民政局每年年前提前与县财政部门衔接", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),  # the seed's 每年年前
        ("每年年底前完成", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),
    ],
)
def test_yearly_deadlines_become_yearly_rules(text, rrule):
    spec = normalize_date(text)
    assert spec.kind == "yearly"
    assert spec.rrule == rrule


@pytest.mark.parametrize(
    "text, iso",
    [
        ("trước ngày 28/10/2020", "2020-10-28"),
        ("trước ngày 05/03/2021", "2021-03-05"),
        ("ngày 22 tháng 10 năm 2020", "2020-10-22"),
        ("于2020年10月30日动工建设", "2020-10-30"),
        ("2020年底前", "2020-12-31"),
    ],
)
def test_one_off_dates(text, iso):
    spec = normalize_date(text)
    assert (spec.kind, spec.date) == ("date", iso)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("Hội nghị tổng kết vào Quý IV năm 2020", "2020-10-01", "2020-12-31"),
        ("vào Quý IV, năm 2020.", "2020-10-01", "2020-12-31"),  # the Thanh Hóa seed's comma
        ("Quý 2/2021", "2021-04-01", "2021-06-30"),
        ("c) Thời gian thực hiện: từ năm 2016-2020", "2016-01-01", "2020-12-31"),
        ("từ năm 2016 đến năm 2020", "2016-01-01", "2020-12-31"),
        ("b) Thời gian thực hiện: Năm 2020.", "2020-01-01", "2020-12-31"),
        ("tháng 2 năm 2024", "2024-02-01", "2024-02-29"),
        ("预计2024年1—6月完成房建封顶", "2024-01-01", "2024-06-30"),  # em dash, as in the seed
        ("2024年7-9月完成", "2024-07-01", "2024-09-30"),
        ("争取2023年下半年殡仪馆运营", "2023-07-01", "2023-12-31"),
        ("2020年第四季度", "2020-10-01", "2020-12-31"),
        ("2021—2025年", "2021-01-01", "2025-12-31"),
    ],
)
def test_periods_are_due_at_their_end(text, start, end):
    spec = normalize_date(text)
    assert spec.kind == "period"
    assert (spec.start, spec.end, spec.date) == (start, end, end)


@pytest.mark.parametrize(
    "text",
    [
        "theo Quyết định 37/2010/QĐ-TTg, ngày 22/4/201 trước đây",  # the Kon Tum seed's truncated year
        "trước ngày 31/02/2020",  # no such day
        "trước ngày 15/13/2020",  # no such month
        "trước ngày 31 tháng 4 hằng năm",
        "2020年13月",
    ],
)
def test_invalid_dates_are_reported_unparsed_not_raised(text):
    found = find_dates(text, "zh" if "年" in text else "vi")
    assert found and all(s.kind == "unparsed" for s in found)


def test_time_limits_without_a_date_are_relative():
    spec = normalize_date("自受理设立申请后10个工作日内颁发养老机构设立许可证")
    assert spec.kind == "relative" and spec.text == "10个工作日内" and spec.date is None


def test_text_without_dates_and_reference_years():
    assert normalize_date("Nâng cao nhận thức của người dân") is None
    assert find_dates("2022年度部门整体支出绩效自评报告", "zh") == []  # 年度 is not a date


def test_spans_point_at_the_expression():
    text = "gửi UBND tỉnh trước ngày 28/10/2020; định kỳ trước ngày 30 tháng 11 hàng năm"
    a, b = find_dates(text, "vi")
    assert text[slice(*a.span)] == "28/10/2020"
    assert text[slice(*b.span)] == "ngày 30 tháng 11 hàng năm"


def test_occurrences_expand_yearly_rules_within_a_range():
    spec = normalize_date("trước ngày 15 tháng 11 hằng năm")
    assert occurrences(spec, dt.date(2025, 1, 1), dt.date(2026, 12, 31)) == [dt.date(2025, 11, 15), dt.date(2026, 11, 15)]
    assert next_due(spec, dt.date(2026, 11, 16)) == dt.date(2027, 11, 15)
    leap = normalize_date("trước ngày 29 tháng 2 hằng năm")
    assert occurrences(leap, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == [dt.date(2025, 2, 28)]
    month = normalize_date("vào tháng 11 hàng năm")
    assert next_due(month, dt.date(2026, 11, 21)) == dt.date(2026, 11, 30)  # due by the month's end


def test_parse_iso_for_command_line_ranges():
    assert parse_iso("2026-01-31") == dt.date(2026, 1, 31)
    assert parse_iso("2026-02") == dt.date(2026, 2, 1)
    with pytest.raises(ValueError):
        parse_iso("2026-13-01")

"""facts.sqlite, and the questions asked of it: who does what, what is due when, which facts."""

import datetime as dt
import sqlite3

import pytest

from index.facts import query
from index.facts.store import EXTRACTOR_SIGNATURE, FactStore, write_facts

from .conftest import HA_TINH, KON_TUM, SUINING

TODAY = dt.date(2026, 11, 21)


def test_round_trip_keeps_every_fact(documents, corpus_facts, tmp_path):
    report = write_facts(tmp_path / "facts.sqlite", list(documents.values()))
    store = FactStore(tmp_path / "facts.sqlite")
    expected = [f for facts in corpus_facts.values() for f in facts]
    assert report.facts == len(expected) == len(store.facts())
    assert {(f.doc_id, f.start, f.key) for f in store.facts()} == {(f.doc_id, f.start, f.key) for f in expected}
    assert store.meta["extractor"] == EXTRACTOR_SIGNATURE
    assert store.documents[KON_TUM]["period_end"] == 2020


def test_unchanged_documents_are_reused_changed_ones_extracted(documents, tmp_path):
    docs = list(documents.values())
    write_facts(tmp_path / "a.sqlite", docs)
    changed = [d if d.doc_id != KON_TUM else d.__class__(d.doc_id, d.text, d.meta, "other-sha") for d in docs]
    report = write_facts(tmp_path / "b.sqlite", changed, previous=tmp_path / "a.sqlite")
    assert (report.reused_documents, report.extracted_documents) == (len(docs) - 1, 1)
    # copied rows and freshly extracted ones make the same file: facts, agencies, order
    assert FactStore(tmp_path / "b.sqlite").facts() == FactStore(tmp_path / "a.sqlite").facts()
    tables = []
    for name in ("a", "b"):
        con = sqlite3.connect(tmp_path / f"{name}.sqlite")
        tables.append(con.execute("SELECT * FROM fact_agencies ORDER BY rowid").fetchall())
        con.close()
    assert tables[0] == tables[1] and tables[0]


def test_a_previous_file_from_another_extractor_is_not_reused(documents, tmp_path):
    docs = list(documents.values())
    write_facts(tmp_path / "a.sqlite", docs)
    con = sqlite3.connect(tmp_path / "a.sqlite")
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'extractor'")
    con.commit()
    con.close()
    assert write_facts(tmp_path / "b.sqlite", docs, previous=tmp_path / "a.sqlite").reused_documents == 0


def test_a_failing_document_does_not_fail_the_build(documents, tmp_path, monkeypatch):
    import index.facts.extract as extract

    real = extract.extract_document
    monkeypatch.setattr(extract, "extract_document", lambda d: (_ for _ in ()).throw(RuntimeError("boom")) if d.doc_id == KON_TUM else real(d))
    report = write_facts(tmp_path / "f.sqlite", list(documents.values()))
    assert report.failed and report.failed[0][0] == KON_TUM
    store = FactStore(tmp_path / "f.sqlite")
    assert store.documents[KON_TUM]["error"].startswith("RuntimeError")
    assert store.facts(doc_ids={HA_TINH})


@pytest.mark.parametrize("spelling", ["Sở Y tế", "so y te", "SỞ Y TẾ"])
def test_who_lists_kon_tum_health_department_duties(index_dir, spelling):
    result = query.who(index_dir, spelling, doc="Kon Tum", today=TODAY)
    assert [d.doc_id for d in result.docs] == [KON_TUM]
    kon_tum = result.docs[0]
    assert any("tiêu chí 8,9,10" in d.task for d in kon_tum.lead)
    assert any(d.via and d.via.id == "so-lao-dong-thuong-binh-xa-hoi" for d in kon_tum.support)  # named as a partner
    assert kon_tum.period_ended  # the plan ran to 2020


@pytest.mark.parametrize("spelling", ["Sở LĐTBXH", "Sở Lao động - TB&XH", "Sở Lao động, Thương binh và Xã hội", "so lao dong tbxh"])
def test_who_accepts_any_spelling_of_the_labour_department(index_dir, spelling):
    result = query.who(index_dir, spelling, doc=KON_TUM)
    assert len(result.docs[0].lead) >= 6
    assert {f.key for f in result.docs[0].deadlines} >= {"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=10"}


def test_who_in_chinese(index_dir):
    result = query.who(index_dir, "县民政局")
    assert [d.doc_id for d in result.docs][0] == SUINING
    assert len(result.docs[0].lead) >= 25


def test_who_unknown_agency_offers_close_names(index_dir):
    result = query.who(index_dir, "Sở Xây dựng")
    assert not result.agencies and not result.found
    assert [a.label for a in query.who(index_dir, "Sở Tài chánh").suggestions][0] == "Sở Tài chính"


def test_who_naming_a_level_and_place_takes_that_agency_first(index_dir):
    # 郴州市民政局 is the city's bureau: not 绥宁县民政局 (a county's), and the Chenzhou notice first
    result = query.who(index_dir, "郴州市民政局")
    assert result.docs and result.docs[0].doc_id.startswith("004")
    assert all(x.agency.level in (None, "市") for d in result.docs for x in d.lead + d.support)
    assert SUINING in [d.doc_id for d in query.who(index_dir, "民政局").docs]  # no level named: every one


def test_ended_plans_yearly_deadlines_fall_due_last_in_their_final_year(index_dir):
    items = query.deadlines(index_dir, doc="Kon Tum", today=TODAY)
    yearly = [i for i in items if i.yearly]
    assert yearly and all(i.due.year == 2020 and i.period_ended for i in yearly)
    assert not query.deadlines(index_dir, doc="Kon Tum", today=TODAY, ended=False)


def test_deadlines_sorted_by_next_due_date(index_dir):
    items = query.deadlines(index_dir, today=TODAY)
    dated = [i for i in items if i.due]
    upcoming = [i.due for i in dated if i.due >= TODAY]
    assert upcoming == sorted(upcoming) and upcoming[0] == dt.date(2026, 11, 30)
    assert items[-1].due is None  # "10个工作日内" has no date: last
    past = [i.due for i in dated if i.due < TODAY]
    assert past == sorted(past) and dated.index(next(i for i in dated if i.due < TODAY)) == len(upcoming)


def test_deadlines_in_a_range_expand_yearly_ones_while_their_plan_runs(index_dir):
    items = query.deadlines(index_dir, doc="Kon Tum", start=dt.date(2019, 1, 1), end=dt.date(2026, 12, 31), today=TODAY)
    dec10 = next(i for i in items if i.fact.key.endswith("BYMONTH=12;BYMONTHDAY=10"))
    assert dec10.occurrences == [dt.date(2019, 12, 10), dt.date(2020, 12, 10)]  # the plan ran "đến năm 2020"
    assert query.deadlines(index_dir, doc="Hà Tĩnh", start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))[0].fact.key.startswith("FREQ")


def test_documents_are_named_by_file_number_or_place(index_dir):
    store = query.open_store(index_dir)
    assert query.select_docs(store, "001") == {KON_TUM}
    assert query.select_docs(store, "2516/KH-UBND") == {KON_TUM}
    assert query.select_docs(store, "kon tum") == {KON_TUM}
    assert query.select_docs(store, "绥宁") == {SUINING}
    with pytest.raises(LookupError, match="Kon Tum"):
        query.select_docs(store, "Hà Nội")


def test_facts_by_type_and_document(index_dir):
    amounts = query.facts(index_dir, type="amount", doc=SUINING)
    assert amounts and {f.type for f in amounts} == {"amount"} and {f.doc_id for f in amounts} == {SUINING}
    with pytest.raises(ValueError):
        query.facts(index_dir, type="budget")


def test_missing_index_says_how_to_build_one(tmp_path):
    with pytest.raises(query.FactsUnavailable, match="policyqa build"):
        query.who(tmp_path, "Sở Y tế")

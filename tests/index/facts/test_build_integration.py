"""Facts travel with the index: written into every build, rebuilt with the documents, used by ask.

Uses the hashing embedder of tests/conftest.py: no model, the real build and publish path.
"""

import sqlite3

from index.engine import Engine
from index.facts import query

from tests.conftest import HashingEmbedder  # the shared fast embedder
from .conftest import KON_TUM


def _meta(build) -> dict:
    con = sqlite3.connect(build / "facts.sqlite")
    try:
        return dict(con.execute("SELECT key, value FROM meta"))
    finally:
        con.close()


def test_each_build_carries_its_facts_and_rebuilds_only_what_changed(fast_settings):
    engine = Engine(fast_settings, embedder=HashingEmbedder())
    first = engine.build(progress=False).path
    assert (first / "facts.sqlite").is_file()
    assert _meta(first)["extracted_documents"] == "5"

    # a new deadline in one plan: only that document is read again
    path = fast_settings.corpus_dir / KON_TUM
    path.write_text(path.read_text("utf-8") + "\n\nSở Y tế báo cáo kết quả trước ngày 20 tháng 6 hằng năm.\n", "utf-8")
    second = engine.build(progress=False).path
    assert second != first and (second / "facts.sqlite").is_file()
    meta = _meta(second)
    assert (meta["extracted_documents"], meta["reused_documents"]) == ("1", "4")
    keys = {f.fact.key for f in query.deadlines(fast_settings.index_dir, doc=KON_TUM)}
    assert "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=20" in keys


def test_ask_answers_responsibility_questions_from_the_facts(fast_settings):
    engine = Engine(fast_settings, embedder=HashingEmbedder())
    engine.build(progress=False)
    answer = engine.ask("Sở Y tế có trách nhiệm gì trong kế hoạch xã, phường phù hợp với trẻ em ở Kon Tum?")
    assert answer.qtype == "responsibility" and answer.found
    assert "tiêu chí 8,9,10" in answer.text and len(answer.text) <= 400
    assert len(answer.citations) >= 3 and all(c.doc_id == KON_TUM for c in answer.citations)

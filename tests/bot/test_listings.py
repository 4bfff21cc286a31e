"""/who and /deadlines as phone-sized pages (bot/listings.py), over the bundled corpus's facts."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import callbacks as cb
from bot import formatting as fmt
from bot import listings
from bot.i18n import t
from index.facts import query

from .fake_telegram import parse_telegram_html

pytestmark = pytest.mark.slow

TODAY = dt.date(2026, 12, 7)
PAGING = listings.Paging(items=5, chars=300)


@pytest.fixture(scope="module")
def metas(engine):
    return {doc_id: doc.meta for doc_id, doc in engine.index.documents.items()}


def _one_message(view: listings.View) -> str:
    messages = fmt.pack(view.blocks)
    assert len(messages) == 1  # a page is edited in place: it must fit one message
    return parse_telegram_html(messages[0])


def _callbacks(view: listings.View) -> list[str]:
    return [b.callback_data for row in view.keyboard.inline_keyboard for b in row]


def test_a_long_duty_list_pages_through_every_item_in_order(engine, metas):
    # 绥宁县民政局 has 27 duties in the Suining report: six pages of five, each one message
    result = query.who(engine, "绥宁县民政局", today=TODAY)
    doc = next(i for i, d in enumerate(result.docs) if d.doc_id.startswith("003"))
    total = len(result.docs[doc].lead) + len(result.docs[doc].support) + len(result.docs[doc].deadlines)
    seen, page = [], 0
    while True:
        view = listings.who_page(result, metas, "zh", "abcdefgh12", doc, page, PAGING)
        text = _one_message(view)
        seen += [int(line.split(".", 1)[0]) for line in text.splitlines() if line.split(".", 1)[0].isdigit()]
        if cb.who("abcdefgh12", doc, page + 1) not in _callbacks(view):
            break
        page += 1
    assert seen == list(range(1, total + 1)) and total >= 25
    assert cb.who_docs("abcdefgh12", 0) in _callbacks(view)  # back to the documents
    assert "2022年度部门整体支出绩效自评报告" in text  # no number: named by its title


def test_labels_follow_the_chats_language_not_the_documents(engine, metas):
    result = query.who(engine, "Sở Y tế", today=TODAY)
    zh = _one_message(listings.who_summary(result, metas, "zh", "abcdefgh12", 0, PAGING))
    assert "牵头/负责" in zh and "chủ trì" not in zh and "161/KH-UBND" in zh


def test_deadlines_hide_ended_plans_and_say_how_many(engine, metas):
    items = query.deadlines(engine, today=TODAY)
    view = listings.deadlines_view(items, metas, "zh", ended=False, page=0, paging=PAGING, today=TODAY)
    text = _one_message(view)
    ended = [i for i in items if i.period_ended]
    assert ended and t("zh", "deadlines_hidden", n=len(ended), plans=len({i.fact.doc_id for i in ended})) in text
    assert "2027年11月30日" in text and "2516/KH-UBND" not in text
    assert cb.deadlines("a", 0) in _callbacks(view)

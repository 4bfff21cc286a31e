"""The real bot Application over real HTTP, against the Bot API stand-in on 127.0.0.1.

Updates go in through getUpdates (or the webhook); the assertions read what the bot sent to
sendMessage, answerCallbackQuery, sendDocument and the rest. The stand-in rejects malformed HTML
and over-long messages as Telegram does, and `no_api_errors` checks that nothing was rejected.
The engine is real: the bundled corpus indexed with the real model.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import socket
import sqlite3
import threading

import icalendar
import pytest

from bot import formatting as fmt
from bot import handlers
from bot.app import REDACTED, configure_logging
from bot.handlers import SECTION_MAX_MESSAGES, question_link_payload
from bot.i18n import t
from bot.services import doc_key
from index.config import REPO_ROOT

from .fake_telegram import MAX_TEXT, Call, FakeTelegram, parse_telegram_html, utf16_len
from .harness import ADMIN_ID, TOKEN, bot_settings, captured_logs, running_bot, services_of, webhook_bot

pytestmark = pytest.mark.slow

VI_Q = "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?"
VI_BARE = "ho so de nghi khen thuong gui cham nhat khi nao"
ZH_Q = "2022年绥宁县残疾人两项补贴标准提高到多少？"
OFF_TOPIC = "Giá vé máy bay đi Paris tháng sau là bao nhiêu?"
BOT_NAME = "policyqa_test_bot"


def run(coro, timeout: float = 120):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def is_answer(call: Call) -> bool:
    return any(b.get("callback_data", "").startswith("fb:") for b in call.buttons)


async def nth_answer(fake: FakeTelegram, chat_id: int, n: int = 1) -> Call:
    """The n-th answer (a message with the feedback buttons) sent to ``chat_id``."""
    return (await fake.wait_for("sendMessage", count=n, chat_id=chat_id, where=is_answer))[-1]


def no_api_errors(fake: FakeTelegram) -> None:
    errors = [(c.method, c.error) for c in fake.calls if c.error]
    assert not errors, errors


def apologies(fake: FakeTelegram) -> list[Call]:
    return [c for c in fake.calls_to("sendMessage") if c.text in (t("vi", "error"), t("zh", "error"))]


# --- /start, questions, languages ----------------------------------------------------------------


def test_start_greets_in_the_users_language_with_example_buttons(engine, fake, data_dir):
    vi_user = fake.user(101, "vi", first_name="<b>Lan & Hùng</i>")  # markup in a name stays text
    zh_user = fake.user(102, "zh-hans", first_name="王芳")
    en_user = fake.user(103, "en")

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(*(fake.text_update(u, "/start") for u in (vi_user, zh_user, en_user)))
            [vi] = await fake.wait_for("sendMessage", chat_id=101)
            [zh] = await fake.wait_for("sendMessage", chat_id=102)
            [en] = await fake.wait_for("sendMessage", chat_id=103)
            return vi, zh, en

    vi, zh, en = run(scenario())
    assert vi.params["parse_mode"] == "HTML"
    assert vi.text.startswith("Xin chào, <b>Lan & Hùng</i>!") and "tiếng Trung" in vi.text
    assert zh.text.startswith("您好，王芳！") and "文号" in zh.text
    assert en.text.startswith("Xin chào")  # Vietnamese for anyone else
    assert [b["callback_data"] for b in vi.buttons] == ["ex:0", "ex:1", "ex:2"]
    assert vi.buttons[0]["text"] == t("vi", "example_questions")[0]
    assert zh.buttons[0]["text"] == t("zh", "example_questions")[0]
    assert {c.params.get("language_code") for c in fake.calls_to("setMyCommands")} == {None, "zh"}
    no_api_errors(fake)


def test_vietnamese_and_chinese_questions_answered_with_citations(engine, fake, data_dir):
    vi_user, zh_user = fake.user(201, "vi"), fake.user(202, "zh")
    expected_vi, expected_zh = engine.ask(VI_Q), engine.ask(ZH_Q)  # what `policyqa ask` prints
    assert expected_vi.found and expected_zh.found

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(vi_user, VI_Q), fake.text_update(zh_user, f"/ask {ZH_Q}"))
            return await nth_answer(fake, 201), await nth_answer(fake, 202)

    vi, zh = run(scenario())
    c = expected_vi.citations[0]
    assert vi.text.startswith(f"💬 Trả lời: «{expected_vi.text}»")  # the direct answer first
    assert f"Nguồn: {c.title}" in vi.text and f"Số {c.number}" in vi.text and f"Mục: {c.section}" in vi.text
    zc = expected_zh.citations[0]
    assert zh.text.startswith(f"💬 答复：«{expected_zh.text}»")
    assert f"来源：{zc.title}" in zh.text and f"章节：{zc.section}" in zh.text
    # under it: sources, whole section, 👍 / 👎
    assert [b["text"] for b in vi.buttons] == ["📚 Nguồn", "📖 Toàn văn mục", "👍", "👎"]
    assert [b["text"] for b in zh.buttons] == ["📚 来源", "📖 查看本节", "👍", "👎"]
    # "typing…" was shown before the answer arrived
    for chat_id, reply in ((201, vi), (202, zh)):
        typing = fake.calls_to("sendChatAction", chat_id=chat_id, action="typing")
        assert typing and typing[0].at < reply.at
    no_api_errors(fake)


def test_question_without_diacritics_gets_the_same_answer(engine, fake, data_dir):
    user = fake.user(301)

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, VI_Q))
            first = await nth_answer(fake, 301, 1)
            fake.push(fake.text_update(user, VI_BARE))
            return first, await nth_answer(fake, 301, 2)

    with_marks, bare = run(scenario())
    cited = engine.ask(VI_Q).citations[0]
    for reply in (with_marks, bare):
        assert cited.number in reply.text and cited.section in reply.text
    assert "Sở Lao động - TB&XH" in bare.text  # the quoted clause, diacritics as in the document


def test_question_with_no_answer_says_so_and_offers_only_feedback(engine, fake, data_dir):
    user = fake.user(401)

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, OFF_TOPIC))
            return await nth_answer(fake, 401)

    reply = run(scenario())
    assert reply.text == engine.ask(OFF_TOPIC).text  # the engine's "nothing found" wording
    assert [b["text"] for b in reply.buttons] == ["👍", "👎"]


# --- buttons --------------------------------------------------------------------------------------


def test_sources_section_and_feedback_buttons(engine, fake, data_dir):
    user = fake.user(501)
    expected = engine.ask(VI_Q)
    cited = expected.citations[0]
    section_text = engine.section_text(cited.doc_id, cited.section)
    settings = bot_settings(fake, data_dir)

    async def scenario():
        async with running_bot(engine, settings) as app:
            fake.push(fake.text_update(user, VI_Q))
            reply = await nth_answer(fake, 501)
            buttons = {b["text"]: b["callback_data"] for b in reply.buttons}

            fake.push(fake.callback_update(user, buttons["📚 Nguồn"], reply.result))
            [sources] = await fake.wait_for("sendMessage", chat_id=501, where=lambda c: c.text.startswith("Các đoạn được trích dẫn"))

            fake.push(fake.callback_update(user, buttons["📖 Toàn văn mục"], reply.result))
            section = await fake.wait_for("sendMessage", chat_id=501, where=lambda c: c.text.startswith("📖 Toàn văn mục"))

            fake.push(fake.callback_update(user, buttons["👎"], reply.result))
            [edited] = await fake.wait_for("editMessageReplyMarkup")

            # forged and stale buttons: a polite answer each, nothing else
            for data in ("src:ZZZZZZZZZZ", "fb:ZZZZZZZZZZ:up", "hello", "ex:99", "lang:en"):
                fake.push(fake.callback_update(user, data, reply.result))
            answered = await fake.wait_for("answerCallbackQuery", count=8)
            flagged = services_of(app).storage.flagged_questions()
            return sources, section, edited, answered, flagged

    sources, section, edited, answered, flagged = run(scenario())
    assert cited.title in sources.text and "(chậm nhất 30/12 hàng năm)" in sources.text
    assert "<blockquote>" in sources.params["text"]
    assert cited.section in section[0].text and section_text.splitlines()[0] in section[0].text
    assert answered[2].params.get("text") == t("vi", "thanks_down")
    assert any(b["text"] == "👎 ✓" for row in edited.params["reply_markup"]["inline_keyboard"] for b in row)
    # handled concurrently, so answered in any order
    assert sorted(a.params.get("text") for a in answered[3:]) == sorted(
        [t("vi", "answer_expired")] * 2 + [t("vi", "unknown_button")] * 3
    )
    assert [(f.question, f.down) for f in flagged] == [(VI_Q, 1)]
    assert not apologies(fake)
    no_api_errors(fake)


def test_a_responsibility_answer_is_one_clean_card(engine, fake, data_dir):
    user = fake.user(561)
    question = "so khoa hoc va cong nghe ha tinh co nhiem vu gi"
    expected = engine.ask(question)
    cited_docs = {c.doc_id for c in expected.citations}

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)) as app:
            fake.push(fake.text_update(user, question))
            card = await nth_answer(fake, 561)
            fake.push(fake.callback_update(user, card.button("Nguồn")["callback_data"], card.result))
            sources = await fake.wait_for("sendMessage", chat_id=561, where=lambda c: c.text.startswith("Các đoạn được trích dẫn"))
            record = services_of(app).storage.load_answer(card.buttons[0]["callback_data"].split(":")[1])
            return card, sources, record

    card, sources, record = run(scenario())
    assert len(expected.citations) > 5  # a list of duties, each its own citation …
    # … in one message, its document cited once, no internal tags, roles as headings
    assert len([c for c in fake.calls_to("sendMessage", chat_id=561) if is_answer(c)]) == 1
    assert card.text.count("📄 Nguồn") == 1 and "385/KH-UBND" in card.text
    assert "[chủ trì" not in card.text and "(+" not in card.text and "Chủ trì / thực hiện:" in card.text
    assert "… và " in card.text  # the rest of the list counted, under the sources button
    # every passage once, and only passages of the cited plan
    passages = [c.passage for c in record.citations]
    assert sum(call.text.count("📄") for call in sources) == len(set(passages)) + len(record.related)
    assert all(p.doc_id in cited_docs for p in record.related)
    no_api_errors(fake)


def test_a_section_too_long_for_messages_comes_as_a_file(engine, fake, data_dir, monkeypatch):
    monkeypatch.setattr(handlers, "SECTION_MAX_MESSAGES", 0)  # every section counts as too long
    user = fake.user(551, "zh")
    cited = engine.ask(ZH_Q).citations[0]

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, ZH_Q))
            reply = await nth_answer(fake, 551)
            fake.push(fake.callback_update(user, reply.button("查看本节")["callback_data"], reply.result))
            return (await fake.wait_for("sendDocument", chat_id=551))[0]

    sent = run(scenario())
    name, data = sent.files["document"]
    assert name.endswith(".txt") and engine.section_text(cited.doc_id, cited.section) in data.decode("utf-8")
    assert sent.text.startswith("📖 " + t("zh", "section_as_file")) and cited.section[:20] in sent.text
    no_api_errors(fake)


def test_example_button_answers_the_example(engine, fake, data_dir):
    user = fake.user(601, "zh")

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, "/start"))
            [greeting] = await fake.wait_for("sendMessage", chat_id=601)
            fake.push(fake.callback_update(user, greeting.buttons[0]["callback_data"], greeting.result))
            return await nth_answer(fake, 601)

    reply = run(scenario())
    assert reply.text.startswith(f"💬 答复：«{engine.ask(t('zh', 'example_questions')[0]).text}»")


# --- languages and persistence --------------------------------------------------------------------


def test_language_switch_survives_a_restart(engine, fake, data_dir):
    user = fake.user(701, "vi")
    settings = bot_settings(fake, data_dir)

    async def first_run():
        async with running_bot(engine, settings):
            fake.push(fake.text_update(user, "/lang"))
            [prompt] = await fake.wait_for("sendMessage", chat_id=701)
            assert [b["callback_data"] for b in prompt.buttons] == ["lang:vi", "lang:zh"]
            fake.push(fake.callback_update(user, "lang:zh", prompt.result))
            [edited] = await fake.wait_for("editMessageText")
            [ack] = await fake.wait_for("answerCallbackQuery")
            fake.push(fake.text_update(user, "/help"))
            [help_zh] = await fake.wait_for("sendMessage", chat_id=701, where=lambda c: c.text.startswith("命令"))
            return edited, ack, help_zh

    async def second_run():  # a new Application on the same data folder
        async with running_bot(engine, settings):
            fake.push(fake.text_update(user, "/start"))
            return (await fake.wait_for("sendMessage", chat_id=701, count=3))[-1]

    edited, ack, help_zh = run(first_run())
    assert edited.text == t("zh", "lang_set") and ack.params["text"] == t("zh", "lang_set")
    assert "/docs" in help_zh.text
    greeting = run(second_run())
    assert greeting.text.startswith("您好")  # the chat's choice beats the user's language_code
    no_api_errors(fake)


def test_a_cards_labels_and_buttons_share_one_language(engine, fake, data_dir):
    user = fake.user(711, "vi")  # a Vietnamese Telegram, asking in Chinese

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, ZH_Q))
            asked = await nth_answer(fake, 711)
            fake.push(fake.callback_update(user, "lang:vi", asked.result))
            await fake.wait_for("answerCallbackQuery")
            fake.push(fake.text_update(user, ZH_Q))
            chosen = await nth_answer(fake, 711, 2)
            return asked, chosen

    asked, chosen = run(scenario())
    # no choice made: the question's language for both; after /lang vi: Vietnamese for both
    assert asked.text.startswith("💬 答复：") and {b["text"] for b in asked.buttons} >= {t("zh", "btn_sources")}
    assert chosen.text.startswith("💬 Trả lời:") and "Nguồn:" in chosen.text and "来源" not in chosen.text
    assert {b["text"] for b in chosen.buttons} >= {t("vi", "btn_sources")}
    no_api_errors(fake)


# --- groups ---------------------------------------------------------------------------------------


def test_group_answers_only_when_addressed(engine, fake, data_dir):
    group = fake.group_chat(-100500)
    user, other = fake.user(801), fake.user(802)

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            someone = fake.message(other, "Chào mọi người", chat=group)
            fake.push(
                fake.text_update(user, VI_Q, chat=group),  # chatter: ignored
                fake.text_update(user, f"@another_bot {VI_Q}", chat=group),  # someone else's bot
                fake.text_update(user, VI_Q, chat=group, reply_to=someone),  # replying to a person
            )
            mention = fake.message(user, f"@{BOT_NAME} {VI_Q}", chat=group)
            fake.push({"message": mention})
            first = await nth_answer(fake, -100500, 1)
            fake.push(
                fake.text_update(user, f"/ask {ZH_Q}", chat=group),
                fake.text_update(user, f"/ask@{BOT_NAME} {VI_BARE}", chat=group),
                fake.text_update(user, "cái này áp dụng đến năm nào?", chat=group, reply_to=first.result),
            )
            answers = await fake.wait_for("sendMessage", count=4, chat_id=-100500, where=is_answer)
            fake.push(fake.text_update(other, "/help", chat=group))  # sentinel: everything before is done
            await fake.wait_for("sendMessage", chat_id=-100500, where=lambda c: c.text.startswith("Các lệnh"))
            # two people vote on one answer: the shared keyboard counts them, nobody's ✓ on it
            fake.push(fake.callback_update(user, first.button("👍")["callback_data"], first.result))
            await fake.wait_for("editMessageReplyMarkup")
            fake.push(fake.callback_update(other, first.button("👎")["callback_data"], first.result))
            votes = (await fake.wait_for("editMessageReplyMarkup", count=2))[-1]
            return mention, first, answers, votes

    mention, first, answers, votes = run(scenario())
    assert {b["text"] for b in votes.buttons} >= {"👍 1", "👎 1"} and not any("✓" in b["text"] for b in votes.buttons)
    assert first.params["reply_parameters"]["message_id"] == mention["message_id"]  # quotes the question
    assert first.text.startswith(f"💬 Trả lời: «{engine.ask(VI_Q).text}»")  # the @mention was stripped
    assert [a.text.startswith("💬 答复：") for a in answers].count(True) == 1  # /ask 中文
    assert len(fake.calls_to("sendMessage", chat_id=-100500)) == 5  # 4 answers + help, nothing else
    assert len([c for c in fake.calls_to("sendMessage", chat_id=-100500) if is_answer(c)]) == 4
    no_api_errors(fake)


# --- flood ----------------------------------------------------------------------------------------


def test_flood_of_50_messages_gets_the_allowed_answers_and_one_notice(engine, fake, data_dir):
    flooder, other = fake.user(901), fake.user(902)
    settings = bot_settings(fake, data_dir, throttle_burst=5, throttle_per_minute=0.01)

    async def scenario():
        async with running_bot(engine, settings) as app:
            fake.push(*(fake.text_update(flooder, f"{VI_Q} ({i})") for i in range(50)))
            fake.push(fake.text_update(other, VI_BARE))  # after the flood: still served
            await nth_answer(fake, 902)
            await fake.wait_for("sendMessage", count=6, chat_id=901)
            # one chat's updates are handled in order (bot/ordering.py): the rest of the flood
            # reaches the throttle one after another, within moments
            while services_of(app).throttle.throttled < 45:
                await asyncio.sleep(0.05)
            return services_of(app).throttle.throttled

    throttled = run(scenario())
    to_flooder = fake.calls_to("sendMessage", chat_id=901)
    answers = [c for c in to_flooder if is_answer(c)]
    notices = [c for c in to_flooder if c.text == t("vi", "throttled")]
    assert len(answers) == 5 and len(notices) == 1 and len(to_flooder) == 6
    assert to_flooder.index(notices[0]) < to_flooder.index(answers[-1])  # told at once, not after the answers
    assert throttled == 45
    with sqlite3.connect(data_dir / "bot.sqlite3") as db:
        asked = sorted(q for (q,) in db.execute("SELECT question FROM answers WHERE question LIKE ?", (f"{VI_Q} (%",)))
    assert asked == sorted(f"{VI_Q} ({i})" for i in range(5))  # the first five, each answered once
    assert not apologies(fake)
    no_api_errors(fake)


# --- documents, deep links ------------------------------------------------------------------------


def test_docs_list_and_deep_links(engine, fake, data_dir):
    user = fake.user(1001)
    doc_id = "000_f3a764e6249851b7.txt"
    question = "Hồ sơ khen thưởng gửi khi nào?"

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, "/docs"))
            [docs] = await fake.wait_for("sendMessage", chat_id=1001)
            fake.push(fake.text_update(user, f"/start doc-{doc_key(doc_id)}"))
            [card] = await fake.wait_for("sendMessage", chat_id=1001, where=lambda c: c.text.startswith("📄"))
            fake.push(fake.callback_update(user, card.buttons[0]["callback_data"], card.result))
            [sent] = await fake.wait_for("sendDocument", chat_id=1001)
            fake.push(fake.text_update(user, f"/start {question_link_payload(question)}"))
            answer = await nth_answer(fake, 1001)
            fake.push(fake.text_update(user, "/start doc-0000000000"), fake.text_update(user, "/start nonsense"))
            # an unknown document and a malformed payload: each a polite message
            await fake.wait_for("sendMessage", chat_id=1001, where=lambda c: c.text == t("vi", "doc_gone"))
            await fake.wait_for("sendMessage", chat_id=1001, where=lambda c: c.text == t("vi", "bad_link"))
            return docs, card, sent, answer

    docs, card, sent, answer = run(scenario())
    assert docs.text.startswith("📚 Các văn bản hiện có (5)")
    assert "161/KH-UBND" in docs.text and "UBND tỉnh Thanh Hóa" in docs.text and "24/10/2016" in docs.text
    assert "Giai đoạn: 2016-2020 (đã kết thúc)" in docs.text
    assert "2020-2025 (định hướng đến 2030)" in docs.text and "2030) (đã kết thúc)" not in docs.text
    assert f'href="https://t.me/{BOT_NAME}?start=doc-{doc_key(doc_id)}"' in docs.params["text"]
    assert "Số: 161/KH-UBND" in card.text and "Cơ quan ban hành: UBND tỉnh Thanh Hóa" in card.text
    assert sent.files["document"] == (doc_id, (REPO_ROOT / "corpus" / doc_id).read_bytes())
    assert answer.text.startswith("💬 Trả lời:")
    no_api_errors(fake)


def _phone_readable(call: Call) -> None:
    """What a list message must never show: file names, command-line marks, a word cut off."""
    assert "_" not in call.text.split("\n")[0] and ".txt" not in call.text and "■" not in call.text, call.text
    assert "\n\n\n" not in call.text


def test_who_is_a_summary_with_a_page_per_document(engine, fake, data_dir):
    user, zh_user = fake.user(1002), fake.user(1003, "zh")

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, "/who so y te"))
            [summary] = await fake.wait_for("sendMessage", chat_id=1002, where=lambda c: "Sở Y tế" in c.text)
            fake.push(fake.callback_update(user, summary.button("2516/KH-UBND")["callback_data"], summary.result))
            [page] = await fake.wait_for("editMessageText", where=lambda c: "2516/KH-UBND" in c.text)
            fake.push(fake.callback_update(user, page.params["reply_markup"]["inline_keyboard"][-1][0]["callback_data"],
                                           summary.result))
            back = (await fake.wait_for("editMessageText", count=2))[-1]
            fake.push(fake.text_update(zh_user, "/who 郴州市民政局"))
            [zh] = await fake.wait_for("sendMessage", chat_id=1003)
            fake.push(fake.text_update(user, "/who Sở Tài chánh"))
            [unknown] = await fake.wait_for("sendMessage", chat_id=1002, where=lambda c: "Sở Tài chánh" in c.text)
            fake.push(fake.callback_update(user, unknown.button("Sở Tài chính")["callback_data"], unknown.result))
            picked = (await fake.wait_for("editMessageText", count=3))[-1]
            fake.push(fake.text_update(user, "/who"))
            await fake.wait_for("sendMessage", chat_id=1002, where=lambda c: c.text == t("vi", "who_usage"))
            fake.push(fake.callback_update(user, "who:ZZZZZZZZZZ:0:0", summary.result))  # forged or forgotten
            await fake.wait_for("answerCallbackQuery", where=lambda c: c.params.get("text") == t("vi", "list_expired"))
            return summary, page, back, zh, unknown, picked

    summary, page, back, zh, unknown, picked = run(scenario())
    # the summary counts per plan, each plan a button named by its number
    assert "161/KH-UBND" in summary.text and "2516/KH-UBND" in summary.text and "chủ trì" in summary.text
    assert {b["text"] for b in summary.buttons} >= {"1. 161/KH-UBND", "2. 2516/KH-UBND"}
    assert "tiêu chí 8,9,10" not in summary.text and "tiêu chí 8,9,10" in page.text  # the clause, on its page
    assert "Mục:" in page.text and "đã kết thúc" in page.text  # its section; the plan ran to 2020
    assert "(phối hợp; Sở Lao động, Thương binh và Xã hội chủ trì)" in page.text  # kept when a long clause is cut
    assert back.text == summary.text
    # the city's bureau, not another county's 27 duties
    assert "郴政办发〔2018〕18号" in zh.text and "牵头/负责" in zh.text and "绥宁" not in zh.text
    # no such agency: said in Vietnamese, close names to tap
    assert "No agency" not in unknown.text and "policyqa" not in unknown.text
    assert "Sở Tài chính" in picked.text
    for call in (summary, page, back, zh, unknown, picked):
        _phone_readable(call)
    no_api_errors(fake)


def test_deadlines_of_plans_in_force_first_ended_ones_behind_a_button(engine, fake, data_dir):
    user = fake.user(1004)

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, "/deadlines"))
            [listing] = await fake.wait_for("sendMessage", chat_id=1004, where=lambda c: c.text.startswith("⏰"))
            [ics] = await fake.wait_for("sendDocument", chat_id=1004)
            fake.push(fake.callback_update(user, listing.button("Hiện cả kế hoạch đã kết thúc")["callback_data"], listing.result))
            [all_plans] = await fake.wait_for("editMessageText")
            return listing, ics, all_plans

    listing, ics, all_plans = run(scenario())
    # only the Hà Tĩnh plan (to 2030) is in force; the four that ended are hidden and counted
    assert "385/KH-UBND" in listing.text and "2516/KH-UBND" not in listing.text
    assert "hằng năm" in listing.text and re.search(r"\b\d{2}/\d{2}/20\d{2}\b", listing.text)  # 30/11/2027
    assert not re.search(r"20\d{2}-\d{2}-\d{2}", listing.text)  # no ISO dates
    assert "Đang ẩn" in listing.text
    assert "2516/KH-UBND" in all_plans.text and "đã kết thúc" in all_plans.text
    name, data = ics.files["document"]
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert events and all("385/KH-UBND" in str(e.get("description")) or "002_" in str(e.get("description")) for e in events)
    assert all(e.get("rrule")["UNTIL"][0] <= dt.date(2030, 12, 31) for e in events if e.get("rrule"))
    for call in (listing, all_plans):
        _phone_readable(call)
    no_api_errors(fake)

# --- follow-up questions ---------------------------------------------------------------------------


def test_a_short_follow_up_is_answered_from_the_last_answers_document(engine, fake, data_dir):
    user = fake.user(1201)
    follow_up = "kinh phí thực hiện từ đâu?"  # every plan has its budget: alone, it finds another than Kon Tum's
    alone = engine.ask(follow_up).citations[0]
    assert alone.number and alone.number != "2516/KH-UBND"

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, VI_Q))  # answered from the Kon Tum plan, 2516/KH-UBND
            first = await nth_answer(fake, 1201, 1)
            fake.push(fake.text_update(user, follow_up))
            followed = await nth_answer(fake, 1201, 2)
            fake.push(fake.text_update(user, "/new"))
            await fake.wait_for("sendMessage", chat_id=1201, where=lambda c: c.text == t("vi", "new_topic"))
            fake.push(fake.text_update(user, follow_up))
            afresh = await nth_answer(fake, 1201, 3)
            fake.push(fake.text_update(user, VI_Q))
            await nth_answer(fake, 1201, 4)
            fake.push(fake.text_update(user, "kinh phí ở Thanh Hóa thế nào?"))  # names another plan's place
            elsewhere = await nth_answer(fake, 1201, 5)
            return first, followed, afresh, elsewhere

    first, followed, afresh, elsewhere = run(scenario())
    assert "2516/KH-UBND" in first.text
    assert "2516/KH-UBND" in followed.text and "kinh phí" in followed.text.lower()
    assert alone.number in afresh.text and "2516/KH-UBND" not in afresh.text
    assert "161/KH-UBND" in elsewhere.text
    no_api_errors(fake)


# --- inline mode -----------------------------------------------------------------------------------


def test_inline_mode_offers_the_answer_card_to_send_into_any_chat(engine, fake, data_dir):
    user = fake.user(1301)
    expected = engine.ask(VI_Q)

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            for query in (VI_Q, "", OFF_TOPIC):
                fake.push(fake.inline_update(user, query))
                await fake.wait_for("answerInlineQuery", count=[VI_Q, "", OFF_TOPIC].index(query) + 1)
            return fake.calls_to("answerInlineQuery")

    card, empty, off_topic = run(scenario())
    [result] = card.params["results"]
    message = result["input_message_content"]
    assert result["type"] == "article" and result["description"] == "2516/KH-UBND"
    assert parse_telegram_html(message["message_text"]).startswith(f"💬 Trả lời: «{expected.text}»")
    [[button]] = result["reply_markup"]["inline_keyboard"]
    assert button["url"] == f"https://t.me/{BOT_NAME}"  # the question is too long for a deep link's 64 characters
    assert empty.params["results"] == [] and empty.params["button"]["text"] == t("vi", "inline_hint")
    assert off_topic.params["results"] == [] and off_topic.params["button"]["text"] == t("vi", "inline_not_found")
    no_api_errors(fake)


# --- reminders ------------------------------------------------------------------------------------


def test_a_reminder_fires_once_under_a_controlled_clock_and_not_again_after_a_restart(engine, fake, data_dir):
    user = fake.user(1101)
    settings = bot_settings(fake, data_dir, reminder_check_seconds=0.2)
    is_reminder = lambda c: c.text.startswith("⏰ Nhắc hạn")  # noqa: E731
    # the Kon Tum plan (to 2020): Sở LĐTBXH reports "trước ngày 10 tháng 12 hàng năm"
    clock = [dt.date(2018, 11, 1)]

    async def first_run():
        async with running_bot(engine, settings) as app:
            services_of(app).clock = lambda: clock[0]
            fake.push(fake.text_update(user, "/remind Sở LĐTBXH"))
            [subscribed] = await fake.wait_for("sendMessage", chat_id=1101)
            await asyncio.sleep(0.6)  # three checks: nothing due within 7 days of 1 November
            early = [c for c in fake.calls_to("sendMessage", chat_id=1101) if is_reminder(c)]
            clock[0] = dt.date(2018, 12, 3)  # seven days before
            [reminder] = await fake.wait_for("sendMessage", chat_id=1101, where=is_reminder)
            await asyncio.sleep(0.6)
            fake.push(fake.text_update(user, "/remind"))
            [listing] = await fake.wait_for("sendMessage", chat_id=1101, where=lambda c: c.text.startswith("Các nhắc hạn"))
            return subscribed, early, reminder, listing

    async def second_run():  # a restart on the same data folder, the same day
        async with running_bot(engine, settings) as app:
            services_of(app).clock = lambda: clock[0]
            await asyncio.sleep(0.8)
            clock[0] = dt.date(2019, 12, 4)  # a year on: the next occurrence is a reminder of its own
            await fake.wait_for("sendMessage", count=2, chat_id=1101, where=is_reminder)
            fake.push(fake.text_update(user, "/remind off"))
            await fake.wait_for("sendMessage", chat_id=1101, where=lambda c: c.text == t("vi", "remind_off", n=1))

    subscribed, early, reminder, listing = run(first_run())
    assert "7 ngày" in subscribed.text and "Sở LĐTBXH" in subscribed.text
    assert not early
    assert "còn 7 ngày" in reminder.text and "10/12/2018" in reminder.text and "2516/KH-UBND" in reminder.text
    assert "Sở LĐTBXH: trước 7 ngày" in listing.text
    reminders_sent = [c for c in fake.calls_to("sendMessage", chat_id=1101) if is_reminder(c)]
    assert len(reminders_sent) == 1  # six more checks that day: still one
    run(second_run())
    reminders_sent = [c for c in fake.calls_to("sendMessage", chat_id=1101) if is_reminder(c)]
    assert [("10/12/2018" in c.text, "10/12/2019" in c.text) for c in reminders_sent] == [(True, False), (False, True)]
    no_api_errors(fake)


def test_remind_names_what_it_cannot_find(engine, fake, data_dir):
    user = fake.user(1102, "zh")

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, "/remind 教育局"))
            return (await fake.wait_for("sendMessage", chat_id=1102))[0]

    reply = run(scenario())
    assert reply.text.startswith(t("zh", "remind_unknown", query="教育局"))
    no_api_errors(fake)


# --- admin: uploads, /reindex, /stats -------------------------------------------------------------

DISTRICTS = ["Bảo Lâm", "Di Linh", "Đức Trọng", "Lâm Hà", "Đơn Dương", "Lạc Dương", "Đạ Huoai", "Đạ Tẻh", "Cát Tiên", "Đam Rông", "Bảo Lộc", "Đà Lạt"]


def plan_text() -> str:
    """A plan with an HTML-looking title and a ~11 000-character section (longer than a message)."""
    lines = [
        "Kế hoạch thí điểm số hóa hồ sơ đất đai tỉnh Lâm Đồng",
        "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        "Số: 77/KH-UBND",
        "Lâm Đồng, ngày 15 tháng 3 năm 2024",
        "KẾ HOẠCH",
        "Thí điểm <số hóa> & lưu trữ hồ sơ đất đai giai đoạn 2024-2026",
        "I. MỤC TIÊU",
        "Đến hết năm 2026, toàn bộ hồ sơ địa chính của tỉnh được số hóa và lưu trữ trên hệ thống cơ sở dữ liệu đất đai dùng chung.",
        "II. CÁC HOẠT ĐỘNG CHI TIẾT",
    ]
    for i in range(36):
        d = DISTRICTS[i % len(DISTRICTS)]
        q, y = i % 4 + 1, 2024 + i // 12
        lines.append(
            f"- Trong quý {q} năm {y}, huyện {d} tổ chức số hóa {1200 + 37 * i} hồ sơ địa chính đợt {i + 1}; "
            f"kết quả được cập nhật vào cơ sở dữ liệu đất đai và báo cáo Sở Tài nguyên và Môi trường trước ngày {5 + i % 20}/{q * 3}/{y}. "
            f"Cán bộ phụ trách đợt {i + 1} kiểm tra chất lượng bản quét, đối chiếu thông tin thửa đất, chủ sử dụng, diện tích và mục đích sử dụng đất."
        )
    lines += ["III. TỔ CHỨC THỰC HIỆN", "Sở Tài chính bố trí kinh phí thực hiện kế hoạch chậm nhất ngày 30/6/2024."]
    return "\n".join(lines) + "\n"


PLAN_Q = "Huyện Bảo Lâm số hóa bao nhiêu hồ sơ địa chính đợt 13?"
PLAN_SECTION = "II. CÁC HOẠT ĐỘNG CHI TIẾT"
TITLE = "Kế hoạch thí điểm <số hóa> & lưu trữ hồ sơ đất đai giai đoạn 2024-2026"
SAVED_AS = "Kế_hoạch_số_hóa.txt"


def test_admin_upload_is_indexed_while_answering_continues(corpus_engine, fake, data_dir):
    admin, citizen = fake.user(ADMIN_ID), fake.user(1102)
    corpus = corpus_engine.settings.corpus_dir
    before = {p.name for p in corpus.iterdir()}
    # hold the rebuild until the test has seen a question answered meanwhile
    release = threading.Event()
    real_build = corpus_engine.build

    def gated_build(**kwargs):
        assert release.wait(60)
        return real_build(**kwargs)

    corpus_engine.build = gated_build
    document = fake.add_file(plan_text().encode("utf-8"), "../../Kế hoạch <số hóa>.txt")

    async def scenario():
        try:
            async with running_bot(corpus_engine, bot_settings(fake, data_dir)):
                fake.push({"message": fake.message(admin, document={**document, "mime_type": "text/plain"})})
                await fake.wait_for("sendMessage", chat_id=ADMIN_ID, where=lambda c: c.text.startswith("Tệp hợp lệ"))
                fake.push(fake.text_update(citizen, PLAN_Q))
                during = await nth_answer(fake, 1102, 1)  # answered from the old index meanwhile
                release.set()
                [done] = await fake.wait_for("sendMessage", chat_id=ADMIN_ID, where=lambda c: c.text.startswith("✅"))
                fake.push(fake.text_update(citizen, PLAN_Q))
                after = await nth_answer(fake, 1102, 2)
                # the whole section, longer than one message: as many parts as formatting makes
                text = corpus_engine.section_text(SAVED_AS, PLAN_SECTION)
                expected = len(fmt.pack(fmt.section_blocks(TITLE, PLAN_SECTION, text, "vi")))
                sent_before = len(fake.calls_to("sendMessage", chat_id=1102))
                fake.push(fake.callback_update(citizen, after.button("Toàn văn mục")["callback_data"], after.result))
                section = (await fake.wait_for("sendMessage", count=sent_before + expected, chat_id=1102))[sent_before:]
                fake.push(fake.text_update(citizen, "/docs"))
                [docs] = await fake.wait_for("sendMessage", chat_id=1102, where=lambda c: c.text.startswith("📚"))
                return during, done, after, section, docs
        finally:
            release.set()

    during, done, after, section, docs = run(scenario())
    saved = {p.name for p in corpus.iterdir() if not p.name.startswith(".")} - before  # .incoming: empty
    assert saved == {SAVED_AS}  # path dropped, markup dropped, readable stem kept
    assert not any((corpus / ".incoming").iterdir())
    assert "77/KH-UBND" not in during.text  # the old index did not know the plan yet
    for fact in (TITLE, "Số: 77/KH-UBND", "Cơ quan ban hành: UBND tỉnh Lâm Đồng", "Ngày: 15/03/2024", "Giai đoạn: 2024-2026"):
        assert fact in done.text
    assert "77/KH-UBND" in after.text and TITLE in after.text and f"Mục: {PLAN_SECTION}" in after.text
    assert "hồ sơ địa chính" in after.text.split("«")[1]
    # split at sentence boundaries: each part valid HTML (else the stand-in refuses it), under the limit
    assert 2 <= len(section) <= SECTION_MAX_MESSAGES
    assert section[0].text.startswith(f"📖 Toàn văn mục: {PLAN_SECTION}")
    assert all(utf16_len(c.text) <= MAX_TEXT for c in section)
    joined = "\n".join(c.text for c in section)
    for i in range(1, 37):
        assert f"đợt {i};" in joined
    assert all(c.text.rstrip().endswith(".") for c in section)
    assert TITLE in docs.text and "(6)" in docs.text
    no_api_errors(fake)


def test_bad_uploads_are_refused_with_a_message(corpus_engine, fake, data_dir):
    admin, citizen = fake.user(ADMIN_ID), fake.user(1202, "zh")
    corpus = corpus_engine.settings.corpus_dir
    before = sorted(p.name for p in corpus.iterdir())
    corrupt = fake.add_file(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without xref\n%%EOF", "bao_cao.pdf")
    empty = fake.add_file(b"   \n", "trong.txt")
    exe = fake.add_file(b"MZ\x90\x00", "setup.exe")
    huge = {**fake.add_file(b"x", "big.pdf"), "file_size": 30 * 1024 * 1024}
    from_citizen = fake.add_file(plan_text().encode(), "plan.txt")

    async def scenario():
        async with running_bot(corpus_engine, bot_settings(fake, data_dir)):
            fake.push(*({"message": fake.message(admin, document=d)} for d in (corrupt, empty, exe, huge)))
            fake.push({"message": fake.message(citizen, document=from_citizen)})
            fake.push(fake.text_update(citizen, "/reindex"), fake.text_update(citizen, "/stats"))
            invalid = await fake.wait_for("sendMessage", count=2, chat_id=ADMIN_ID, where=lambda c: c.text.startswith("Không dùng được"))
            wrong_type = await fake.wait_for("sendMessage", chat_id=ADMIN_ID, where=lambda c: c.text.startswith("Chỉ nhận tệp"))
            too_big = await fake.wait_for("sendMessage", chat_id=ADMIN_ID, where=lambda c: c.text.startswith("Tệp quá lớn"))
            refusals = await fake.wait_for("sendMessage", count=3, chat_id=1202)
            return invalid, wrong_type, too_big, refusals

    with captured_logs(logging.INFO, "%(message)s") as log:
        invalid, wrong_type, too_big, refusals = run(scenario())
    # the reason in the admin's language, no English from the readers
    reasons = {c.text.split("»: ")[0]: c.text.split("»: ")[1] for c in invalid}
    assert reasons == {"Không dùng được tệp «bao_cao.pdf": t("vi", "reason_invalid", kind="PDF"),
                       "Không dùng được tệp «trong.txt": t("vi", "reason_empty")}
    # every refusal logged with its reason's code and the admin's hashed id, never the file's content
    refused = [line for line in log.getvalue().splitlines() if "upload refused" in line]
    assert sorted(line.rsplit("(", 1)[1] for line in refused) == ["empty)", "invalid)", "too_big)", "type)"]
    assert not any(str(ADMIN_ID) in line or "garbage" in line for line in refused)
    assert wrong_type[0].text == t("vi", "upload_bad_type", types="DOCX, HTML, PDF, TXT")
    assert "30.0 MB" in too_big[0].text
    assert sorted(c.text for c in refusals) == sorted([t("zh", "upload_not_admin"), t("zh", "not_admin"), t("zh", "not_admin")])
    # nothing was added, nothing downloaded that should not have been, no rebuild
    assert sorted(p.name for p in corpus.iterdir() if not p.name.startswith(".")) == before
    assert not any((corpus / ".incoming").iterdir())  # staged downloads were removed
    downloaded = {c.params["file_id"] for c in fake.calls_to("getFile")}
    assert downloaded == {corrupt["file_id"], empty["file_id"]}
    assert len(corpus_engine.index.documents) == 5
    no_api_errors(fake)


def test_admin_reindex_and_stats(corpus_engine, fake, data_dir):
    admin = fake.user(ADMIN_ID)

    async def scenario():
        async with running_bot(corpus_engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(admin, "/reindex"))
            [done] = await fake.wait_for("sendMessage", chat_id=ADMIN_ID, where=lambda c: c.text.startswith("✅"))
            fake.push(fake.text_update(admin, "/stats"))
            [stats] = await fake.wait_for("sendMessage", chat_id=ADMIN_ID, where=lambda c: c.text.startswith("Thống kê"))
            return done, stats

    done, stats = run(scenario())
    assert "5 văn bản" in done.text and "5 văn bản không đổi, 0 đoạn mới" in done.text
    assert "Văn bản: 5" in stats.text and f"đoạn: {len(corpus_engine.index.chunks)}" in stats.text
    no_api_errors(fake)


# --- webhook, errors, logs ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_checks_the_secret_token_on_every_request(engine, fake, data_dir):
    user = fake.user(1301)
    secret = "s3cret-Token_for-tests"

    async def scenario():
        async with webhook_bot(engine, bot_settings(fake, data_dir), _free_port(), secret):
            assert fake.webhook["secret_token"] == secret
            wrong = await fake.deliver_webhook(fake.new_update(**fake.text_update(user, "/help")), secret="guess")
            missing = await fake.deliver_webhook(fake.new_update(**fake.text_update(user, "/help")), secret=None)
            ok = await fake.deliver_webhook(fake.new_update(**fake.text_update(user, VI_Q)))
            reply = await nth_answer(fake, 1301)
            return wrong, missing, ok, reply

    wrong, missing, ok, reply = run(scenario())
    assert (wrong, missing, ok) == (403, 403, 200)
    assert len(fake.calls_to("sendMessage", chat_id=1301)) == 1  # only the authentic update
    assert reply.text.startswith("💬 Trả lời:")


class _ExplodingEngine:
    """The engine, except that answering fails (a bug, a corrupt index …)."""

    def __init__(self, engine):
        self._engine = engine

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def ask(self, question, **kwargs):
        raise RuntimeError("boom in /srv/secret/index")


def test_error_handler_apologises_in_the_users_language_without_details(engine, fake, data_dir, caplog):
    user = fake.user(1401, "zh")
    caplog.set_level(logging.ERROR, logger="bot")

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)) as app:
            services_of(app).engine = _ExplodingEngine(engine)
            fake.push(fake.text_update(user, ZH_Q))
            [apology] = await fake.wait_for("sendMessage", chat_id=1401)
            services_of(app).engine = engine  # and the bot goes on
            fake.push(fake.text_update(user, ZH_Q))
            await nth_answer(fake, 1401)
            return apology

    apology = run(scenario())
    assert apology.text == t("zh", "error")
    assert not any("boom" in c.text or "Traceback" in c.text for c in fake.calls_to("sendMessage"))
    [record] = [r for r in caplog.records if r.name == "bot.handlers" and r.levelno == logging.ERROR]
    assert "chat type private" in record.getMessage() and "1401" not in record.getMessage()
    assert record.exc_info and "boom" in str(record.exc_info[1])


def test_the_token_never_reaches_the_logs(engine, fake, data_dir):
    user = fake.user(1501)
    with captured_logs(logging.DEBUG, "%(name)s %(message)s") as stream:
        try:
            configure_logging(TOKEN)
            logging.getLogger("httpx").setLevel(logging.DEBUG)  # even with request logging back on

            async def scenario():
                async with running_bot(engine, bot_settings(fake, data_dir)):
                    fake.push(fake.text_update(user, VI_Q))
                    await nth_answer(fake, 1501)

            run(scenario())
        finally:
            logging.getLogger("httpx").setLevel(logging.WARNING)
    log = stream.getvalue()
    assert "getUpdates" in log and REDACTED in log  # PTB and httpx did log the URLs …
    assert TOKEN not in log and TOKEN.split(":")[1] not in log  # … without the token
    ours = [line for line in log.splitlines() if line.startswith("bot.")]
    assert ours and not any("1501" in line for line in ours)  # our own lines hash user ids


def test_stickers_in_private_get_a_hint(engine, fake, data_dir):
    user = fake.user(1601)

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push({"message": fake.message(user, sticker=True)}, fake.text_update(user, "/unknown"))
            return await fake.wait_for("sendMessage", count=2, chat_id=1601)

    replies = run(scenario())
    assert sorted(c.text for c in replies) == sorted([t("vi", "text_only"), parse_telegram_html(t("vi", "help"))])


def test_small_talk_gets_a_hint_in_private_nothing_in_a_group_and_is_no_unanswered_question(engine, fake, data_dir):
    user, zh_user = fake.user(1701), fake.user(1702, lang="zh-hans")
    group = fake.group_chat(-100700)

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)) as app:
            fake.push(*(fake.text_update(user, text) for text in ("xin chào", "cảm ơn bot nhé", "👍🙏")),
                      fake.text_update(zh_user, "谢谢！"))
            private = await fake.wait_for("sendMessage", count=3, chat_id=1701)
            [chinese] = await fake.wait_for("sendMessage", chat_id=1702)
            fake.push(fake.text_update(user, f"@{BOT_NAME} cảm ơn nhé", chat=group),
                      fake.text_update(user, f"@{BOT_NAME} {VI_Q}", chat=group))
            await nth_answer(fake, -100700)  # the question after the thanks is answered, the thanks not
            return private, chinese, services_of(app).storage.flagged_questions()

    private, chinese, flagged = run(scenario())
    hint = parse_telegram_html(t("vi", "small_talk", example=t("vi", "example_questions")[0]))
    assert [c.text for c in private] == [hint] * 3
    assert not any(is_answer(c) for c in private)  # no "nothing found", no vote buttons
    assert chinese.text == parse_telegram_html(t("zh", "small_talk", example=t("zh", "example_questions")[0]))
    assert len(fake.calls_to("sendMessage", chat_id=-100700)) == 1
    assert flagged == []
    no_api_errors(fake)


def test_a_double_tap_on_a_button_sends_its_reply_once(engine, fake, data_dir):
    user = fake.user(1801)

    async def scenario():
        async with running_bot(engine, bot_settings(fake, data_dir)):
            fake.push(fake.text_update(user, VI_Q))
            reply = await nth_answer(fake, 1801)
            sources = {b["text"]: b["callback_data"] for b in reply.buttons}["📚 Nguồn"]
            fake.push(fake.callback_update(user, sources, reply.result), fake.callback_update(user, sources, reply.result))
            await fake.wait_for("answerCallbackQuery", count=2)  # both taps answered: no spinning button
            fake.push(fake.text_update(user, "/help"))  # sentinel: everything before is done
            await fake.wait_for("sendMessage", chat_id=1801, where=lambda c: c.text.startswith("Các lệnh"))

    run(scenario())
    assert len([c for c in fake.calls_to("sendMessage", chat_id=1801) if c.text.startswith("Các đoạn được trích dẫn")]) == 1
    no_api_errors(fake)

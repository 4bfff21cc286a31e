"""Hostile questions: empty, whitespace, 100,000 characters, emoji only, right-to-left text, HTML
and Markdown injection, SQL-looking strings, mixed Vietnamese/Chinese/English, control characters.
Each gets a sensible answer or a clear message, in bounded time, with escaped output — in the
engine, the CLI and the bot."""

from __future__ import annotations

import asyncio
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import formatting as fmt
from bot.answers import record_from_answer
from bot.i18n import STRINGS
from index.types import Answer
from tests.bot.fake_telegram import parse_telegram_html
from tests.bot.harness import bot_settings, running_bot

from .conftest import TALLY, time_limit

HOSTILE = {
    "empty": "",
    "spaces": " \t\n\u3000\u00a0 ",
    "100k latin": "a" * 100_000,
    "100k vietnamese": "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào? " * 2100,
    "100k chinese": "补贴标准提高到多少" * 11_200,
    "emoji": "😀🎉🇻🇳🇨🇳👨‍👩‍👧",
    "rtl": "مرحبا ما هو الموعد النهائي؟ שלום",
    "rtl override": "\u202eHồ sơ gửi khi nào\u202c",
    "html": "<b>bold</b><script>alert('x')</script><a href='javascript:alert(1)'>x</a>&amp;&lt;",
    "telegram html": "</blockquote><tg-spoiler>x</tg-spoiler><pre><code class='x'>",
    "markdown": "**Hồ sơ** _khen thưởng_ [link](http://evil) `code` # heading\n```\nx\n```",
    "sql": "'; DROP TABLE answers; -- \" OR 1=1 /* 补贴 */",
    "mixed": "Hồ sơ khen thưởng 补贴标准 deadline for the plan 2022年 when?",
    "controls": "\x00\x01\x1b[31mred\x1b[0m\x7f\u200b\u200d\ufeff",
    "zalgo": "Ho\u0300\u0301\u0302\u0303\u0309 so\u0323\u0323\u0323" * 50,
    "only punctuation": "?!.,;:…。？！、",
    "surrogate-ish": "\U0010ffff\U000e0001\ufffd",
    "one char": "?",
    "newlines": "\n" * 5000 + "补贴",
}
NOT_FOUND = {"Không tìm thấy", "未找到", "没有找到"}
BOUND = 5.0  # seconds for any one question on the hashing engine (typical: < 0.2 s)


def _rendered(answer: Answer) -> list[str]:
    """The bot's HTML messages for ``answer``: each must parse as Telegram HTML."""
    record = record_from_answer(answer, {}, key="k" * 10)
    texts = fmt.pack(fmt.answer_blocks(record))
    for text in texts:
        parse_telegram_html(text)  # raises on an unescaped '<' or '&'
        assert len(text) <= 4096
    return texts


@pytest.mark.parametrize("name", HOSTILE)
def test_engine_answers_hostile_questions_in_bounded_time(fast_engine, name):
    question = HOSTILE[name]
    t = time.perf_counter()
    with time_limit(BOUND * 4):
        answer = fast_engine.ask(question)
    seconds = time.perf_counter() - t
    TALLY["hostile questions (engine)"] += 1
    assert seconds < BOUND, f"{name}: {seconds:.1f} s"
    assert isinstance(answer, Answer) and answer.text.strip()
    assert answer.found == bool(answer.citations)
    if not question.strip() or name in ("emoji", "only punctuation"):
        assert not answer.found  # nothing to search for: "nothing found", not a crash
    _rendered(answer)


def test_long_questions_are_cut_before_tokenizing(fast_engine):
    """100,000 characters cost no more than the first max_question_chars of them."""
    limit = fast_engine.settings.max_question_chars
    long = HOSTILE["100k vietnamese"]
    assert fast_engine.ask(long).text == fast_engine.ask(long[:limit]).text
    assert fast_engine.ask(long).question == " ".join(long[:limit].split())


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
       | st.lists(st.sampled_from(list(HOSTILE.values()) + ["Hồ sơ", "补贴", "plan", "2022", " ", "<", "&"]),
                  max_size=6).map(" ".join))
def test_any_question_gets_an_answer_or_a_clear_message(fast_engine, question):
    TALLY["hostile questions (engine, hypothesis)"] += 1
    with time_limit(BOUND * 4):
        answer = fast_engine.ask(question)
    assert answer.text.strip() and answer.found == bool(answer.citations)
    _rendered(answer)


@pytest.mark.parametrize("name", ["empty", "spaces"])
def test_cli_refuses_an_empty_question(fast_engine, monkeypatch, capsys, name):
    from policyqa import cli

    monkeypatch.setattr(cli, "_open_engine", lambda args: fast_engine)
    assert cli.main(["ask", HOSTILE[name]]) == 2
    assert "Please give a question" in capsys.readouterr().err


@pytest.mark.parametrize("name", [n for n in HOSTILE if n not in ("empty", "spaces")])
def test_cli_answers_hostile_questions(fast_engine, monkeypatch, capsys, name):
    from policyqa import cli

    monkeypatch.setattr(cli, "_open_engine", lambda args: fast_engine)
    with time_limit(BOUND * 4):
        assert cli.main(["ask", HOSTILE[name]]) == 0
        assert cli.main(["ask", "--json", HOSTILE[name]]) == 0
    out = capsys.readouterr().out
    assert out.strip()
    assert "\x1b" not in out  # the question's escape sequences are never echoed to the terminal
    TALLY["hostile questions (CLI)"] += 2


def test_bot_answers_hostile_questions_with_escaped_html(fast_engine, fake, tmp_path):
    """Every hostile question from its own user: one reply each, valid Telegram HTML (the stand-in
    refuses anything else), never the error apology; too-long ones get the length message."""
    asyncio.run(asyncio.wait_for(_bot_hostile(fast_engine, fake, tmp_path), 120))


async def _bot_hostile(fast_engine, fake, tmp_path):
    settings = bot_settings(fake, tmp_path / "bot")
    error_text = parse_telegram_html(STRINGS["vi"]["error"])
    users, sent = {}, {}
    async with running_bot(fast_engine, settings, poll_timeout=1):
        for n, (name, question) in enumerate(HOSTILE.items()):
            user = fake.user(50_000 + n)
            users[name] = user
            # Telegram itself caps a message at 4096 characters and never sends an empty one
            text = question[:4096]
            text = text if text.strip() else "/ask " + text
            sent[name] = text
            fake.push(fake.text_update(user, text))
            TALLY["hostile questions (bot)"] += 1
        for name, user in users.items():
            [reply] = await fake.wait_for("sendMessage", chat_id=user["id"], timeout=30)
            assert reply.error is None, (name, reply.error)
            assert reply.text != error_text, name
            words = " ".join(sent[name].split())
            if words == "/ask":
                assert "/ask" in reply.text, name  # the usage message
            elif len(words) > settings.max_question_chars:
                assert str(settings.max_question_chars) in reply.text, name
    # no error was raised anywhere in the bot while answering
    assert not [c for c in fake.calls if c.error], [c.error for c in fake.calls if c.error]

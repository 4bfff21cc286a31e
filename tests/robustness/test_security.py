"""Security: admin-only actions on every path (commands, uploads, buttons with forged data),
upload file names sanitized (no traversal, no overwrite), webhook requests without the secret
refused, the token, user messages and raw user ids kept out of the logs.

Complements tests/bot/test_bot.py (which covers the admin's own happy paths, the basic webhook
secret check and the token redaction with the real model); these run on the hashing engine."""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import callbacks as cb
from bot.app import configure_logging
from bot.config import UPLOAD_SUFFIXES
from bot.i18n import t
from bot.services import Services
from bot.uploads import MAX_STEM, UploadRejected, safe_name, unique_path
from index.config import REPO_ROOT
from index.engine import Engine
from tests.bot.fake_telegram import Call
from tests.bot.harness import ADMIN_ID, TOKEN, bot_settings, captured_logs, running_bot, services_of, webhook_bot

from ..conftest import HashingEmbedder
from .conftest import TALLY

VI_Q = "Hồ sơ đề nghị UBND tỉnh khen thưởng phải gửi chậm nhất khi nào?"


def run(coro, timeout: float = 90):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def is_answer(call: Call) -> bool:
    return any(b.get("callback_data", "").startswith("fb:") for b in call.buttons)


@pytest.fixture
def own_engine(fast_engine, tmp_path) -> Engine:
    """A hashing engine over a private corpus copy (uploads and /reindex write into it)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    for p in corpus.iterdir():
        p.chmod(0o644)
    settings = fast_engine.settings.with_(corpus_dir=corpus, index_dir=tmp_path / "index")
    engine = Engine(settings, embedder=HashingEmbedder())
    engine.build(progress=False)
    return engine


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """Every index build the bot starts, recorded."""
    calls: list[str] = []
    real = Services.build

    async def spy(self):
        calls.append("build")
        return await real(self)

    monkeypatch.setattr(Services, "build", spy)
    return calls


# --- admin-only actions ---------------------------------------------------------------------------


def test_admin_commands_and_uploads_refused_on_every_path(own_engine, fake, tmp_path, builds):
    citizen, admin = fake.user(2001), fake.user(ADMIN_ID)
    group = fake.group_chat(-2002)
    corpus = own_engine.settings.corpus_dir
    before = sorted(p.name for p in corpus.iterdir())
    plan = (REPO_ROOT / "corpus").glob("*.txt").__next__().read_bytes()
    doc = fake.add_file(plan + b"\nnew", "ke_hoach_moi.txt")
    commands = ["/reindex", "/stats", "/reindex --force", "/reindex@policyqa_test_bot", "/stats@policyqa_test_bot",
                "/REINDEX", "/reindex\u200b", " /reindex"]

    async def scenario():
        async with running_bot(own_engine, bot_settings(fake, tmp_path / "bot")):
            for text in commands:
                fake.push(fake.text_update(citizen, text))
                fake.push(fake.text_update(citizen, text, chat=group))
            fake.push({"message": fake.message(citizen, document=doc)})  # upload in private
            fake.push({"message": fake.message(citizen, document=doc, chat=group)})  # … in a group
            # an admin's upload in a group is not taken either (uploads are private only)
            fake.push({"message": fake.message(admin, document=doc, chat=group)})
            await fake.wait_for("sendMessage", chat_id=2001, where=lambda c: c.text == t("vi", "upload_not_admin"))
            await fake.wait_for("sendMessage", count=4, chat_id=2001, where=lambda c: c.text == t("vi", "not_admin"))
            await asyncio.sleep(1.0)

    run(scenario())
    TALLY["admin paths tried by non-admins"] += 2 * len(commands) + 3
    assert builds == []  # no rebuild ran
    assert not fake.calls_to("getFile")  # nothing was downloaded
    assert sorted(p.name for p in corpus.iterdir()) == before  # nothing was added
    sent = [c.text for c in fake.calls_to("sendMessage")]
    assert not any(s.startswith(("✅", "Thống kê")) for s in sent), sent
    assert not [c for c in fake.calls if c.error]


def test_forged_buttons_reach_no_admin_action_and_no_other_chats_answer(own_engine, fake, tmp_path, builds):
    alice, mallory = fake.user(2101), fake.user(2102)
    db = tmp_path / "bot" / "bot.sqlite3"

    async def scenario():
        async with running_bot(own_engine, bot_settings(fake, tmp_path / "bot")):
            fake.push(fake.text_update(alice, VI_Q))
            [answer] = await fake.wait_for("sendMessage", chat_id=2101, where=is_answer)
            key = next(b["callback_data"] for b in answer.buttons if b["callback_data"].startswith("fb:")).split(":")[1]
            # mallory can forge the data, not the message it comes with: that is in his own chat
            fake.push(fake.text_update(mallory, "/help"))
            [own] = await fake.wait_for("sendMessage", chat_id=2102)
            forged = [
                cb.sources(key), cb.section(key), cb.feedback(key, "down"), cb.feedback(key, "up"),
                "reindex", "stats", "admin:reindex", "/reindex", "upload:x", "src:", "src:" + "A" * 17,
                "file:../../../../etc/passwd", "file:..%2f..%2fsalt", "file:" + "0" * 10, "ex:99", "ex:-1",
                "lang:xx", "lang:vi;DROP TABLE chats", "fb:" + key + ":sideways", "src:' OR '1'='1",
                "sec:" + key + "\x00", "ß" * 40, "", "src:" + key + "\n", "ex:1\n", "lang:vi\n", None,
            ]
            for data in forged:
                update = fake.callback_update(mallory, data, message=own.result)
                if data is None:
                    del update["callback_query"]["data"]
                fake.push(update)
            await fake.wait_for("answerCallbackQuery", count=len(forged), timeout=30)
            # alice's own button works (the control)
            fake.push(fake.callback_update(alice, cb.sources(key), message=answer.result))
            await fake.wait_for("sendMessage", count=2, chat_id=2101)
            await asyncio.sleep(0.5)
            return key, forged

    key, forged = run(scenario())
    TALLY["forged callback data tried"] += len(forged)
    assert builds == []
    # mallory got only callback answers: no passages, sections, files or edits of alice's message
    assert len(fake.calls_to("sendMessage", chat_id=2102)) == 1  # the /help reply only
    assert not fake.calls_to("sendDocument")
    apologies = [c for c in fake.calls_to("answerCallbackQuery") if c.params.get("text") in (t("vi", "error"), t("zh", "error"))]
    assert not apologies  # each forged button was turned away politely, none crashed a handler
    assert not fake.calls_to("editMessageReplyMarkup") and not fake.calls_to("editMessageText")
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM chats WHERE lang IS NOT NULL").fetchone()[0] == 0
    assert not [c for c in fake.calls if c.error]


# --- upload names --------------------------------------------------------------------------------


@settings(max_examples=500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=300) | st.lists(st.sampled_from(["..", "/", "\\", ".", "etc", "passwd", "~", "C:", "\x00",
                                                         "\u202e", "CON", ".pdf", ".txt", ".docx", " ", "%2e"]),
                                          max_size=12).map("".join))
def test_safe_names_never_leave_the_folder(name):
    TALLY["upload file names fuzzed"] += 1
    try:
        safe = safe_name(name)
    except UploadRejected as e:
        assert e.code == "type"
        return
    stem = safe[: -len(Path(safe).suffix)]
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(".") and safe not in (".", "..")
    assert Path(safe).suffix in UPLOAD_SUFFIXES and Path(safe).name == safe
    assert stem and len(stem) <= MAX_STEM
    assert not any(unicodedata.category(ch)[0] == "C" for ch in safe)
    assert (Path("/corpus") / safe).resolve().parent == Path("/corpus")


@pytest.mark.parametrize("name", [
    "../../../etc/passwd.txt", "..\\..\\windows\\system32\\x.pdf", "/etc/cron.d/job.txt", ".hidden.txt",
    "....txt", "a/../../b.docx", "plan.PDF", "\u202etxt.exe.pdf", "x" * 500 + ".txt", "CON.txt",
])
def test_hostile_upload_names_land_inside_the_corpus(name, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    target = unique_path(corpus, safe_name(name))
    assert target.resolve().parent == corpus.resolve()
    assert not target.name.startswith(".")


def test_same_name_never_overwrites(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = []
    for raw in ["plan.txt", "PLAN.txt", "plan.TXT", "../plan.txt", "p/l/plan.txt", "plan.txt"]:
        path = unique_path(corpus, safe_name(raw))
        assert not path.exists()
        path.write_text(raw)
        names.append(path.name)
    assert len(set(n.lower() for n in names)) == len(names)  # six files, none replaced
    assert len(list(corpus.iterdir())) == 6


def test_admin_upload_with_a_traversal_name_stays_in_the_corpus(own_engine, fake, tmp_path):
    admin = fake.user(ADMIN_ID)
    corpus = own_engine.settings.corpus_dir
    text = "KẾ HOẠCH\nĐiều 1. Hồ sơ thi đua gửi về Sở Nội vụ chậm nhất ngày 15/11 hằng năm để tổng hợp.\n"
    first = fake.add_file(text.encode(), "../../../../tmp/evil.txt")
    second = fake.add_file((text + "Điều 2. Bổ sung.\n").encode(), "..\\..\\evil.txt")

    async def scenario():
        async with running_bot(own_engine, bot_settings(fake, tmp_path / "bot")):
            for d in (first, second):
                fake.push({"message": fake.message(admin, document=d)})
                await fake.wait_for("sendMessage", chat_id=ADMIN_ID, count=1 if d is first else 2,
                                    where=lambda c: c.text.startswith("✅"), timeout=60)

    run(scenario())
    added = sorted(p.name for p in corpus.iterdir() if "evil" in p.name)
    assert added == ["evil-2.txt", "evil.txt"]
    assert not (tmp_path / "tmp" / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()
    assert (corpus / "evil.txt").read_text(encoding="utf-8") == text  # the first was not overwritten


# --- webhook --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_refuses_every_request_without_the_exact_secret(fast_engine, fake, tmp_path, builds):
    secret = "Ws3cret_for-robustness-tests"
    citizen = fake.user(2301)
    admin_update = fake.text_update(fake.user(ADMIN_ID), "/reindex")
    wrong = [None, "", "guess", secret.lower(), secret.upper(), secret[:-1], secret + "x", secret * 2, "x" * 256]

    async def scenario():
        async with webhook_bot(fast_engine, bot_settings(fake, tmp_path / "bot"), _free_port(), secret):
            statuses = [await fake.deliver_webhook(fake.new_update(**admin_update), secret=w) for w in wrong]
            statuses += [await fake.deliver_webhook(fake.new_update(**fake.text_update(citizen, VI_Q)), secret=w)
                         for w in wrong]
            ok = await fake.deliver_webhook(fake.new_update(**fake.text_update(citizen, VI_Q)))
            await fake.wait_for("sendMessage", chat_id=2301, where=is_answer)
            await asyncio.sleep(0.5)
            return statuses, ok

    statuses, ok = run(scenario())
    TALLY["webhook requests with a wrong or missing secret (all refused)"] += len(statuses)
    assert set(statuses) == {403} and ok == 200
    assert builds == []
    assert len(fake.calls_to("sendMessage", chat_id=2301)) == 1  # only the authentic update
    assert not fake.calls_to("sendMessage", chat_id=ADMIN_ID)


# --- logs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
def test_logs_hold_no_token_no_messages_and_no_raw_user_ids(fast_engine, fake, tmp_path, level):
    """Everything logged during a session (our own loggers, PTB's and httpx's): never the token or
    its secret half, never a user's message in full, never a user id in the clear — at the level
    the bot runs at (INFO), and at DEBUG for our own lines."""
    users = [fake.user(987_654_321), fake.user(876_543_219, "zh")]
    group = fake.group_chat(-1_001_234_567_890)
    secret_q = "Câu hỏi riêng tư số 4242 về hồ sơ khen thưởng của ông Nguyễn Văn Bí Mật"
    with captured_logs(level, "%(name)s %(levelname)s %(message)s") as stream:
        configure_logging(TOKEN)

        async def scenario():
            async with running_bot(fast_engine, bot_settings(fake, tmp_path / "bot", throttle_burst=2)) as app:
                for u in users:
                    fake.push(fake.text_update(u, secret_q))
                    fake.push(fake.text_update(u, "/stats"))
                    for _ in range(3):  # over the throttle: logged as "throttling user <hash>"
                        fake.push(fake.text_update(u, secret_q + " lại"))
                fake.push(fake.text_update(users[0], f"@policyqa_test_bot {secret_q}", chat=group))
                await fake.wait_for("sendMessage", count=2, where=is_answer)
                await asyncio.sleep(1.0)
                return services_of(app).storage.hash_id(users[0]["id"])

        hashed = run(scenario())
    log = stream.getvalue()
    assert log.strip()
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    ours = "\n".join(line for line in log.splitlines() if line.startswith(("bot.", "index.", "policyqa")))
    assert "throttling user" in ours and hashed in ours  # user ids appear hashed
    for u in users:
        assert str(u["id"]) not in ours
    assert secret_q not in ours and "Bí Mật" not in ours
    if level == logging.INFO:  # at the bot's own level, nothing from any library either
        for u in users:
            assert str(u["id"]) not in log
        assert "Bí Mật" not in log
    TALLY["log lines checked for secrets"] += len(log.splitlines())

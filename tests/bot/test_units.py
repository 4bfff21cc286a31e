"""The bot's parts without Telegram or the model: formatting, callbacks, throttle, uploads,
storage, settings, log redaction and `policyqa feedback`."""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import replace

import pytest

from bot import callbacks as cb
from bot import formatting as fmt
from bot.answers import AnswerRecord, CitedPassage
from bot.app import REDACTED, RedactSecrets
from bot.config import BotSettings, ConfigError, parse_admin_ids
from bot.i18n import STRINGS, lang_from_code
from bot.storage import Storage
from index.ingest import REASON_CODES
from index.types import DocRef
from bot.throttle import Throttle, Verdict
from bot.uploads import UploadRejected, safe_name, unique_path
from policyqa.cli import main as cli_main

from .fake_telegram import HTMLParseError, parse_telegram_html

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz"


# --- formatting -----------------------------------------------------------------------------------


def test_sentence_units_keep_the_text_and_cut_after_sentences():
    text = "Câu một. Câu hai!  Câu ba\n第一句。第二句？最后"
    units = fmt.sentence_units(text)
    assert "".join(units) == text
    assert units[:3] == ["Câu một. ", "Câu hai!  ", "Câu ba\n"]
    assert units[3:] == ["第一句。", "第二句？", "最后"]


def test_pack_splits_under_the_limit_at_sentence_boundaries_with_tags_closed():
    sentences = [f"Câu số {i} nói về hồ sơ <đề nghị> & khen thưởng." for i in range(400)]
    blocks = [[fmt.Span("Tiêu đề", "b")], [fmt.Span(" ".join(sentences), "blockquote")]]
    messages = fmt.pack(blocks)
    assert len(messages) > 1
    plain = []
    for m in messages:
        assert fmt.utf16_len(m) <= fmt.MAX_MESSAGE
        text = parse_telegram_html(m)  # valid Telegram HTML on its own
        assert m.count("<blockquote>") == m.count("</blockquote>")
        assert text.rstrip().endswith(".")  # cut after a sentence, never inside one
        plain.append(text)
    joined = " ".join(plain)
    for s in sentences:
        assert s in joined


def test_pack_keeps_small_blocks_whole_and_cuts_between_them():
    blocks = [[fmt.Span("x" * 3000)], [fmt.Span("y" * 3000)], [fmt.Span("z" * 10)]]
    messages = fmt.pack(blocks)
    assert messages == ["x" * 3000, "y" * 3000 + "\n\n" + "z" * 10]


def test_pack_hard_splits_a_sentence_longer_than_a_message():
    word = "chữ "
    messages = fmt.pack([[fmt.Span(word * 3000, "i")]])
    assert len(messages) == 3
    assert all(fmt.utf16_len(m) <= fmt.MAX_MESSAGE and parse_telegram_html(m) for m in messages)
    assert "".join(parse_telegram_html(m) + " " for m in messages).split() == ["chữ"] * 3000


def test_pack_counts_utf16_like_telegram():
    messages = fmt.pack([[fmt.Span("👍 " * 1500)]])  # 1500 emoji = 3000 code units + spaces
    assert all(fmt.utf16_len(m) <= fmt.MAX_MESSAGE for m in messages)
    assert len(messages) == 2


def test_escaping_user_and_document_text():
    assert fmt.Span('<b>Tom & "Jerry"</b>', "b").html() == "<b>&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;</b>"
    record = AnswerRecord(
        key="abcdefgh12", question="q", lang="vi", qtype="other", found=True, text="Hạn <b>chót</b> & hồ sơ",
        citations=[CitedPassage("d.txt", "Kế hoạch <i>x</i> & y", "1/KH", "2020-01-02", "I. <Mục>", "Hạn <b>chót</b> & hồ sơ", None, "p")],
    )
    [message] = fmt.pack(fmt.answer_blocks(record))
    plain = parse_telegram_html(message)
    assert "«Hạn <b>chót</b> & hồ sơ»" in plain and "Kế hoạch <i>x</i> & y" in plain and "I. <Mục>" in plain
    assert "02/01/2020" in plain


def test_an_answer_names_the_other_plans_holding_the_same_clause():
    refs = tuple(DocRef(f"d{i}.txt", f"Kế hoạch {i}", f"{i}/KH-UBND" if i != 2 else None) for i in range(1, 6))
    cited = CitedPassage("d.txt", "Kế hoạch", "9/KH", None, "I. Mục", "Hạn 30/12", None, "p", also_in=refs)
    record = AnswerRecord(key="abcdefgh12", question="q", lang="vi", qtype="deadline", found=True, text="Hạn 30/12",
                          citations=[cited])
    plain = parse_telegram_html(fmt.pack(fmt.answer_blocks(record))[0])
    assert "Nội dung này cũng có trong: 1/KH-UBND; Kế hoạch 2; 3/KH-UBND và 2 văn bản khác" in plain
    zh = parse_telegram_html(fmt.pack(fmt.answer_blocks(replace(record, lang="zh")))[0])
    assert "相同内容另见：1/KH-UBND；Kế hoạch 2；3/KH-UBND等另2份文件" in zh
    assert AnswerRecord.from_json(record.to_json()) == record  # the stored answer keeps them
    alone = replace(record, citations=[replace(cited, also_in=())])
    assert "cũng có trong" not in parse_telegram_html(fmt.pack(fmt.answer_blocks(alone))[0])


def test_fake_server_html_check_is_strict():
    with pytest.raises(HTMLParseError):
        parse_telegram_html("<b>unclosed")
    with pytest.raises(HTMLParseError):
        parse_telegram_html("a & b")
    with pytest.raises(HTMLParseError):
        parse_telegram_html("<script>x</script>")
    assert parse_telegram_html("<b>a &amp; b</b> &lt;3") == "a & b <3"



# --- callbacks ------------------------------------------------------------------------------------


def test_callback_data_round_trip_and_forgeries():
    assert cb.parse(cb.feedback("abcDEF_-12", "down")) == cb.Callback("fb", "abcDEF_-12", "down")
    assert cb.parse(cb.lang("zh")) == cb.Callback("lang", arg="zh")
    assert cb.parse(cb.example(2)) == cb.Callback("ex", arg="2")
    assert cb.parse(cb.who("abcdefgh12")) == cb.Callback("who", "abcdefgh12")
    assert cb.parse(cb.who("abcdefgh12", 3, 12)) == cb.Callback("who", "abcdefgh12", "3:12")
    assert cb.parse(cb.who_docs("abcdefgh12", 2)) == cb.Callback("who", "abcdefgh12", "d:2")
    assert cb.parse(cb.deadlines("a", 4)) == cb.Callback("dl", arg="a:4")
    for forged in ["", "src:", "src:a/b/c/d/e", "fb:abcdefgh12:maybe", "lang:en", "ex:-1", "x" * 80, "sec:abc",
                   "who:abcdefgh12:x:1", "who:abcdefgh12:1", "dl:z:0", "dl:a:-1", "noop:1"]:
        assert cb.parse(forged) is None, forged
    for data in [cb.sources("k" * 10), cb.section("k" * 10), cb.feedback("k" * 10, "up"), cb.file("0123456789")]:
        assert len(data.encode()) <= 64


# --- throttle -------------------------------------------------------------------------------------


def test_throttle_allows_a_burst_then_notifies_once_then_drops():
    now = [0.0]
    throttle = Throttle(burst=3, per_minute=6, clock=lambda: now[0])  # one token per 10 s
    verdicts = [throttle.check(1) for _ in range(8)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.NOTIFY] + [Verdict.DROP] * 4
    assert throttle.check(2) is Verdict.ALLOW  # per user
    now[0] = 10.0
    assert throttle.check(1) is Verdict.ALLOW  # refilled one
    assert throttle.check(1) is Verdict.NOTIFY  # a new flood gets a new notice
    assert throttle.throttled == 6


# --- uploads --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "original, expected",
    [
        ("Kế hoạch 161.PDF", "Kế_hoạch_161.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.docx", "evil.docx"),
        ("/abs/path/郴州 实施意见.html", "郴州_实施意见.html"),
        (".hidden.txt", "hidden.txt"),
        ("..txt", "document.txt"),
        ("a\x00b\nc.txt", "abc.txt"),
        ("x" * 300 + ".txt", "x" * 80 + ".txt"),
    ],
)
def test_safe_name(original, expected):
    assert safe_name(original) == expected


def test_safe_name_refuses_other_types_and_uses_the_mime_type_when_unnamed():
    for bad in ["virus.exe", "archive.tar.gz", "noextension", "page.php"]:
        with pytest.raises(UploadRejected):
            safe_name(bad)
    assert safe_name(None, "application/pdf") == "document.pdf"


def test_unique_path_adds_a_suffix(tmp_path):
    (tmp_path / "plan.txt").write_text("x")
    (tmp_path / "PLAN-2.txt").write_text("x")
    assert unique_path(tmp_path, "plan.txt").name == "plan-3.txt"
    assert unique_path(tmp_path, "other.txt").name == "other.txt"


# --- storage and `policyqa feedback` --------------------------------------------------------------


def _record(key, question, found=True):
    cited = [CitedPassage("d.txt", "T", None, None, "II. Mục", "quote", None, "passage")] if found else []
    return AnswerRecord(key, question, "vi", "other", found, "answer" if found else "không thấy", cited)


def test_storage_keeps_chat_language_answers_and_votes(tmp_path):
    db = tmp_path / "bot" / "bot.sqlite3"
    storage = Storage(db)
    storage.set_chat_lang(42, "zh")
    storage.save_answer(_record("key0000001", "Hỏi A"), 42, 7)
    assert storage.vote("key0000001", 7, "down")
    assert storage.vote("key0000001", 7, "up")  # changing one's mind replaces the vote
    assert not storage.vote("nokey00000", 7, "up")
    storage.close()
    again = Storage(db)
    assert again.chat_settings(42).lang == "zh"
    assert again.chat_settings(43).lang is None
    assert again.load_answer("key0000001").citations[0].section == "II. Mục"
    stats = again.stats()
    assert (stats.answers, stats.up, stats.down) == (1, 1, 0)
    rows = again._db.execute("SELECT chat, user FROM answers").fetchall()
    assert all(str(v) not in {"42", "7"} and len(v) == 16 for v in rows[0])  # hashed


def test_storage_subscriptions_and_each_reminder_claimed_once(tmp_path):
    storage = Storage(tmp_path / "bot.sqlite3")
    sub = storage.subscribe(42, "agency", "Sở Y tế", 7, "vi")
    assert storage.subscribe(42, "agency", "Sở Y tế", 3, "vi").days == 3  # again: the new days, one subscription
    assert [s.id for s in storage.subscriptions(42)] == [sub.id] and storage.subscriptions(43) == []
    assert storage.claim_reminder(sub.id, "uid1", "2026-12-10")
    assert not storage.claim_reminder(sub.id, "uid1", "2026-12-10")  # a second check, or after a restart
    assert storage.claim_reminder(sub.id, "uid1", "2027-12-10")  # next year's is a reminder of its own
    storage.release_reminder(sub.id, "uid1", "2026-12-10")  # its message failed: the next check retries
    assert storage.claim_reminder(sub.id, "uid1", "2026-12-10")
    assert storage.unsubscribe(42) == 1 and storage.subscriptions() == []


def test_group_vote_counts_are_per_person(tmp_path):
    storage = Storage(tmp_path / "bot.sqlite3")
    storage.save_answer(_record("key0000001", "Hỏi A"), -100, 1)
    for user, vote in ((1, "up"), (2, "up"), (3, "down"), (1, "down")):  # user 1 changes their mind
        storage.vote("key0000001", user, vote)
    assert storage.vote_counts("key0000001") == (1, 2)


def test_feedback_command_lists_down_votes_and_unanswered(tmp_path, capsys):
    storage = Storage(tmp_path / "bot.sqlite3")
    storage.save_answer(_record("key0000001", "Hỏi tốt"), 1, 1)
    storage.vote("key0000001", 1, "up")
    storage.save_answer(_record("key0000002", "Hỏi sai"), 1, 1)
    storage.vote("key0000002", 1, "down")
    storage.save_answer(_record("key0000003", "Không có", found=False), 1, 1)
    storage.save_answer(_record("key0000004", "không có ", found=False), 2, 2)
    storage.close()
    assert cli_main(["feedback", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Hỏi sai" in out and "không có" in out.lower() and "Hỏi tốt" not in out
    assert cli_main(["feedback", "--data", str(tmp_path), "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["question"].strip().lower() for i in items] == ["không có", "hỏi sai"]  # most recent first
    assert items[0]["asked"] == 2 and items[0]["not_found"] == 2
    assert items[1]["down"] == 1 and items[1]["last_sources"] == [{"doc_id": "d.txt", "section": "II. Mục"}]
    assert cli_main(["feedback", "--data", str(tmp_path / "none")]) == 2


# --- settings and logs ----------------------------------------------------------------------------


def test_settings_from_environment():
    s = BotSettings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "POLICYQA_ADMIN_IDS": "12, 34",
            "POLICYQA_THROTTLE_BURST": "2",
        },
        webhook_url=None,
    ).check()
    assert s.admin_ids == {12, 34} and s.throttle_burst == 2 and s.api_base_url == "http://127.0.0.1:8081/bot"
    assert TOKEN not in repr(s)
    with pytest.raises(ConfigError) as missing:
        BotSettings.from_env({}).check()
    assert "BotFather" in str(missing.value)
    with pytest.raises(ConfigError) as bad:
        BotSettings.from_env({"TELEGRAM_BOT_TOKEN": "not-a-token-but-secret"}).check()
    assert "not-a-token-but-secret" not in str(bad.value)
    with pytest.raises(ConfigError):
        parse_admin_ids("12, bob")


def test_log_filter_redacts_the_token_in_messages_and_tracebacks():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(TOKEN))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"https://api.telegram.org/bot{TOKEN.replace(':', '%3A')}/sendMessage failed")
        except RuntimeError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert TOKEN.split(":")[1] not in out and REDACTED in out and "Traceback" in out


def test_every_string_exists_in_both_languages():
    assert STRINGS["vi"].keys() == STRINGS["zh"].keys()
    assert lang_from_code("zh-hans") == "zh" and lang_from_code("en") == "vi" and lang_from_code(None) == "vi"


def test_every_reason_a_file_is_refused_for_is_said_in_both_languages():
    assert {f"reason_{code}" for code in REASON_CODES} <= STRINGS["vi"].keys()
    assert len({STRINGS[lang][f"reason_{code}"] for lang in STRINGS for code in REASON_CODES}) == 2 * len(REASON_CODES)


def test_the_bot_service_logs_every_line_with_its_time(monkeypatch):
    import bot.app
    import policyqa.cli

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setattr(policyqa.cli, "_open_engine", lambda args: None)
    monkeypatch.setattr(bot.app, "run", lambda engine, settings: None)
    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())
    root.addHandler(handler)
    try:
        assert cli_main(["bot"]) == 0
        line = handler.format(logging.LogRecord("bot.handlers", logging.INFO, __file__, 1, "answered", None, None))
    finally:
        root.removeHandler(handler)
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} INFO bot.handlers: answered$", line)

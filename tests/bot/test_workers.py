"""Several workers behind one webhook (bot/workers.py): each chat to one worker, nothing lost."""

from __future__ import annotations

import asyncio
import os
import signal

from bot.workers import Front, Worker, chat_of

from .fake_telegram import FakeTelegram
from .harness import TOKEN, child_pids, deliver, free_port, worker_bot


def test_an_update_belongs_to_its_chat():
    fake = FakeTelegram(TOKEN)
    lan, group = fake.user(11), fake.group_chat(-100500)
    assert chat_of(fake.new_update(**fake.text_update(lan, "hỏi"))) == 11
    assert chat_of(fake.new_update(**fake.text_update(lan, "hỏi", chat=group))) == -100500
    # a button belongs to the chat its message is in, not to whoever pressed it
    shown = fake.message(fake.user(12), "câu trả lời", chat=group)
    assert chat_of(fake.new_update(**fake.callback_update(lan, "fb:x:up", shown))) == -100500
    assert chat_of(fake.new_update(**fake.inline_update(lan, "hạn nộp"))) == 11
    assert chat_of({"update_id": 77, "poll": {"id": "p"}}) == 77


def test_a_worker_that_is_down_makes_telegram_deliver_again():
    # Telegram resends an update it got no 2xx for: 503 while the worker (re)starts, never a loss
    front = Front([Worker(0, free_port(), [], {})], "tg-hook")
    assert asyncio.run(front.forward(b'{"update_id": 1, "message": {"chat": {"id": 5}}}', "s")) == 503
    assert asyncio.run(front.forward(b"not json", "s")) == 400


def _is_answer(call, chat_id: int) -> bool:
    return int(call.params["chat_id"]) == chat_id and any(b.get("callback_data", "").startswith("fb:") for b in call.buttons)


def _answered(fake: FakeTelegram, chat_id: int, quotes: list[str]) -> list[int]:
    """Which question (by its answer's quote) each of the chat's answers answers, in the order sent."""
    return [next(i for i, q in enumerate(quotes) if q[:40] in c.text)
            for c in fake.calls_to("sendMessage") if _is_answer(c, chat_id)]


def test_two_workers_answer_every_chat_in_order_and_survive_a_crash(engine, tmp_path):
    async def scenario():
        with FakeTelegram(TOKEN) as fake, worker_bot(fake, tmp_path / "bot", engine.settings.index_dir, 2) as front:
            await fake.wait_for("setWebhook", count=2, timeout=180)
            # two chats (even and odd ids: one on each worker), one asking three questions at once
            lan, minh = fake.user(2000), fake.user(2001, "zh")
            asked = [fake.new_update(**fake.text_update(lan, q)) for q in questions]
            asked.append(fake.new_update(**fake.text_update(minh, "2022年绥宁县残疾人两项补贴标准提高到多少？")))
            for update in asked:  # in order, as Telegram sends one chat's updates
                assert await deliver(fake, update) == 200
            await fake.wait_for("sendMessage", count=3, timeout=60, where=lambda c: _is_answer(c, 2000))
            await fake.wait_for("sendMessage", timeout=60, where=lambda c: _is_answer(c, 2001))
            assert _answered(fake, 2000, quotes) == [0, 1, 2]
            # without the secret Telegram registered, an update is refused
            assert await fake.deliver_webhook(fake.new_update(**fake.text_update(lan, "hỏi")), secret=None) == 403

            # a worker dies: its chats' updates are refused until it is back, then answered
            for pid in child_pids(front.pid):
                os.kill(pid, signal.SIGKILL)
            again = fake.new_update(**fake.text_update(minh, "郴州市养老机构的责任单位是哪些？"))
            assert await deliver(fake, again, timeout=120) == 200  # refused until it is back
            await fake.wait_for("sendMessage", count=2, timeout=60, where=lambda c: _is_answer(c, 2001))

    questions = ["Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?", "郴州市到2020年养老床位总数要达到多少？",
                 "Mục tiêu giảm tỷ số giới tính khi sinh ở Thanh Hóa đến năm 2020 là bao nhiêu?"]
    quotes = [engine.ask(q).text for q in questions]
    assert len(set(q[:40] for q in quotes)) == 3 and all(quotes)
    asyncio.run(scenario())

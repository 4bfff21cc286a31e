"""The bot under load, against the Bot API stand-in: many users asking in bursts, a restart in the
middle, then the figures. Used by tests/robustness/test_bot_load.py (scaled down) and
bench/load_bot.py (2,000 updates from 300 users).

    result = asyncio.run(run_load(engine, fake, data_dir, updates=2000, users=300))
    result.problems()   # [] when every question was answered exactly once, in order, within limits
"""

from __future__ import annotations

import asyncio
import random
import statistics
from dataclasses import dataclass, field

from bot.storage import Storage
from tests.bot.fake_telegram import Call, FakeTelegram
from tests.bot.harness import bot_settings, running_bot

QUESTIONS = [
    "Hồ sơ đề nghị UBND tỉnh khen thưởng phải gửi chậm nhất khi nào?",
    "2022年绥宁县残疾人两项补贴标准提高到多少？",
    "ho so de nghi khen thuong gui cham nhat khi nao",
    "郴州市到2020年养老床位总数要达到多少？",
    "Sở Y tế có trách nhiệm gì trong kế hoạch?",
    "Mục tiêu giảm tỷ số giới tính khi sinh đến năm 2020 là bao nhiêu?",
]
SENDING = {"sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup", "sendPhoto"}
OVERALL_PER_SECOND, CHAT_PER_SECOND, GROUP_PER_MINUTE = 30, 1, 20


@dataclass
class LoadResult:
    updates: int
    questions: dict[str, tuple[int, float]]  # question text → (chat id, pushed at)
    order: dict[int, list[str]]  # chat id → questions in the order they were sent
    answers: dict[str, list[Call]] = field(default_factory=dict)  # question → its answer messages
    answered_order: dict[int, list[str]] = field(default_factory=dict)
    sent: list[Call] = field(default_factory=list)  # every message the bot sent
    seconds: float = 0.0
    restarted_after: int = 0
    groups: set[int] = field(default_factory=set)

    @property
    def latencies(self) -> list[float]:
        return sorted(calls[0].at - self.questions[q][1] for q, calls in self.answers.items() if calls)

    def percentile(self, p: float) -> float:
        lat = self.latencies
        return lat[min(len(lat) - 1, max(0, round(p * len(lat)) - 1))] if lat else float("nan")

    def max_in_window(self, calls: list[Call], window: float) -> int:
        times = sorted(c.at for c in calls)
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] <= t - window:
                j += 1
            best = max(best, i - j + 1)
        return best

    def rate_problems(self) -> list[str]:
        """Leaky buckets (what AIORateLimiter and Telegram use) allow a burst, then the rate: over
        any window of W seconds at most rate·W + burst messages."""
        problems = []
        for w in (1.0, 5.0):
            n = self.max_in_window(self.sent, w)
            if n > OVERALL_PER_SECOND * w + OVERALL_PER_SECOND:
                problems.append(f"{n} messages within {w:g} s overall")
        by_chat: dict[int, list[Call]] = {}
        for c in self.sent:
            by_chat.setdefault(int(c.params["chat_id"]), []).append(c)
        for chat_id, calls in by_chat.items():
            if chat_id in self.groups:
                n = self.max_in_window(calls, 60.0)
                if n > 2 * GROUP_PER_MINUTE:
                    problems.append(f"group {chat_id}: {n} messages within a minute")
            else:
                for w in (1.0, 3.0):
                    n = self.max_in_window(calls, w - 0.02)  # 20 ms: timestamps are taken after the server's work
                    if n > CHAT_PER_SECOND * w + 1:
                        problems.append(f"chat {chat_id}: {n} messages within {w:g} s")
        return problems

    def problems(self) -> list[str]:
        out = []
        missing = [q for q in self.questions if not self.answers.get(q)]
        twice = [q for q, calls in self.answers.items() if len(calls) > 1]
        if missing:
            out.append(f"{len(missing)} questions never answered, e.g. {missing[:3]}")
        if twice:
            out.append(f"{len(twice)} questions answered more than once, e.g. {twice[:3]}")
        for chat_id, asked in self.order.items():
            got = self.answered_order.get(chat_id, [])
            if got != asked[: len(got)] or len(got) != len(asked):
                out.append(f"chat {chat_id}: answers out of order or missing ({len(got)} of {len(asked)})")
                break
        errors = [c for c in self.sent if c.error]
        if errors:
            out.append(f"{len(errors)} API errors, e.g. {errors[0].error}")
        return out + self.rate_problems()

    def summary(self) -> str:
        lat = self.latencies
        return (
            f"{self.updates} updates from {len(self.order)} chats in {self.seconds:.1f} s "
            f"(restart after {self.restarted_after}); answered {sum(1 for v in self.answers.values() if v)}"
            f"/{len(self.questions)}, duplicates {sum(1 for v in self.answers.values() if len(v) > 1)}; "
            f"latency p50 {1000 * statistics.median(lat):.0f} ms, p95 {1000 * self.percentile(0.95):.0f} ms, "
            f"max {1000 * lat[-1]:.0f} ms; peak {self.max_in_window(self.sent, 1.0)} messages in 1 s"
        )


class BusyFakeTelegram(FakeTelegram):
    """The stand-in with a listen backlog fit for load: the stock ThreadingHTTPServer queues 5
    connections, and under bursts the kernel then drops the bot's new connections (seen as
    httpx.ReadError) — a limit of the test server, not of Telegram."""

    def start(self) -> BusyFakeTelegram:
        import socketserver
        import threading
        from http.server import ThreadingHTTPServer

        from tests.bot import fake_telegram

        fake = self

        class Handler(fake_telegram._Handler):
            server_fake = fake

        class Server(ThreadingHTTPServer):
            request_queue_size = 1024

        assert issubclass(Server, socketserver.TCPServer)
        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fake-telegram", daemon=True).start()
        return self


def _is_answer(call: Call) -> bool:
    return call.method == "sendMessage" and any(b.get("callback_data", "").startswith("fb:") for b in call.buttons)


def _answer_key(call: Call) -> str:
    data = next(b["callback_data"] for b in call.buttons if b.get("callback_data", "").startswith("fb:"))
    return data.split(":")[1]


async def run_load(engine, fake: FakeTelegram, data_dir, *, updates: int = 2000, users: int = 300,
                   groups: int = 2, group_questions: int = 6, burst: int = 100, pause: float = 0.3,
                   restart_after: float = 0.5, seed: int = 1, timeout: float = 600) -> LoadResult:
    """Push ``updates`` questions (unique texts) from ``users`` private chats plus ``groups`` group
    chats, in bursts of ``burst``; stop the bot after ``restart_after`` of them are pushed and
    start a new one on the same data folder; wait for every answer; collect what the bot sent."""
    rng = random.Random(seed)
    people = [fake.user(10_000_000 + i, lang=rng.choice(["vi", "zh", None])) for i in range(users)]
    group_chats = [fake.group_chat(-100_000_000 - i, f"Nhóm {i}") for i in range(groups)]
    plan: list[tuple[dict, dict | None]] = [(g_user, g) for g in group_chats for g_user in rng.sample(people, group_questions)]
    plan += [(rng.choice(people), None) for _ in range(updates - len(plan))]
    rng.shuffle(plan)
    result = LoadResult(updates, {}, {}, groups={g["id"] for g in group_chats})
    settings = bot_settings(fake, data_dir, throttle_burst=10_000, throttle_per_minute=10_000.0,
                            chat_max_per_second=CHAT_PER_SECOND)
    loop = asyncio.get_running_loop()
    started = loop.time()
    cut = int(len(plan) * restart_after)

    async def push(part: list[tuple[dict, dict | None]], offset: int) -> None:
        for i in range(0, len(part), burst):
            batch = []
            for n, (user, group) in enumerate(part[i : i + burst], start=offset + i):
                question = f"{QUESTIONS[n % len(QUESTIONS)]} (#{n})"
                chat_id = group["id"] if group else user["id"]
                text = f"/ask {question}" if group else question
                batch.append(fake.text_update(user, text, chat=group))
                result.order.setdefault(chat_id, []).append(question)
                result.questions[question] = (chat_id, 0.0)
            now = __import__("time").perf_counter()
            for update in batch:
                q = update["message"]["text"].removeprefix("/ask ")
                result.questions[q] = (result.questions[q][0], now)
            fake.push(*batch)
            await asyncio.sleep(pause)

    def answered() -> int:
        return len(fake.calls_to("sendMessage")) and sum(1 for c in fake.calls_to("sendMessage") if _is_answer(c))

    async with running_bot(engine, settings, poll_timeout=1):
        await push(plan[:cut], 0)
        # the restart: this Application stops mid-stream (graceful, as on SIGTERM) …
        while answered() < cut // 2 and loop.time() - started < timeout:
            await asyncio.sleep(0.05)
        result.restarted_after = answered()
    # … and a new one takes over the same data folder and the stand-in's queue
    async with running_bot(engine, settings, poll_timeout=1):
        await push(plan[cut:], cut)
        await fake.wait_for("sendMessage", count=len(plan), where=_is_answer, timeout=timeout)
        await asyncio.sleep(1.0)  # anything sent twice would arrive now
    result.seconds = loop.time() - started

    storage = Storage(settings.db_path)
    try:
        with fake._cond:
            calls = list(fake.calls)
        result.sent = [c for c in calls if c.method in SENDING]
        for call in calls:
            if _is_answer(call) and call.error is None:
                record = storage.load_answer(_answer_key(call))
                question = record.question if record else "?"
                result.answers.setdefault(question, []).append(call)
                result.answered_order.setdefault(int(call.params["chat_id"]), []).append(question)
    finally:
        storage.close()
    return result

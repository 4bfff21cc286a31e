"""How fast does the Telegram bot answer? Update pushed → sendMessage received, over real HTTP.

Starts the Bot API stand-in (tests/bot/fake_telegram.py) on 127.0.0.1 and the real bot
Application in long-polling mode over the bundled corpus, warms up, then asks N questions (a mix of
Vietnamese, Vietnamese without diacritics, and Chinese) one at a time from different users, and
times each from the moment the update is queued at the stand-in to the moment the answer's
sendMessage arrives there. For comparison it also times `engine.ask` alone on the same questions,
and a round where several chats ask at once.

    .venv/bin/python bench/bench_bot.py              # 40 questions, then 8 chats at once
    .venv/bin/python bench/bench_bot.py -n 100 --concurrent 16 --index .policyqa/index
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from index.config import Settings  # noqa: E402
from index.engine import Engine  # noqa: E402
from tests.bot.fake_telegram import Call, FakeTelegram  # noqa: E402
from tests.bot.harness import TOKEN, bot_settings, running_bot  # noqa: E402

TARGET_SECONDS = 1.5
QUESTIONS = [
    "Hồ sơ đề nghị UBND tỉnh khen thưởng phải gửi chậm nhất khi nào?",
    "2022年绥宁县残疾人两项补贴标准提高到多少？",
    "ho so de nghi khen thuong gui cham nhat khi nao",
    "郴州市到2020年养老床位总数要达到多少？",
    "Sở Y tế có trách nhiệm gì trong kế hoạch xã phường phù hợp với trẻ em ở Kon Tum?",
    "郴州市养老机构的责任单位是哪些？",
    "Mục tiêu giảm tỷ số giới tính khi sinh ở Thanh Hóa đến năm 2020 là bao nhiêu?",
    "社会力量举办养老机构有哪些扶持政策？",
    "He thong truy xuat nguon goc o Ha Tinh ap dung cho san pham nao?",
    "绥宁县民政局2022年部门整体支出绩效自评结果如何？",
]


def is_answer(call: Call) -> bool:
    return any(b.get("callback_data", "").startswith("fb:") for b in call.buttons)


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(1000 * s for s in seconds)
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return f"| {name:<34} | {len(ms):>3} | {statistics.median(ms):>7.0f} | {p95:>7.0f} | {ms[-1]:>7.0f} |"


async def ask_one_at_a_time(fake: FakeTelegram, questions: list[str], first_user: int) -> list[float]:
    latencies = []
    for i, question in enumerate(questions):
        user = fake.user(first_user + i, "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in question) else "vi")
        started = time.perf_counter()
        fake.push(fake.text_update(user, question))
        [reply] = await fake.wait_for("sendMessage", chat_id=user["id"], where=is_answer, timeout=60)
        latencies.append(reply.at - started)
    return latencies


async def ask_all_at_once(fake: FakeTelegram, questions: list[str], first_user: int) -> list[float]:
    users = [fake.user(first_user + i) for i in range(len(questions))]
    started = time.perf_counter()
    fake.push(*(fake.text_update(u, q) for u, q in zip(users, questions, strict=True)))
    replies = await asyncio.gather(
        *(fake.wait_for("sendMessage", chat_id=u["id"], where=is_answer, timeout=120) for u in users)
    )
    return [reply.at - started for [reply] in replies]


def engine_alone(engine: Engine, questions: list[str]) -> list[float]:
    """`engine.ask` on one worker thread, as the bot runs it, without Telegram in between."""

    def timed(question: str) -> float:
        started = time.perf_counter()
        engine.ask(question)
        return time.perf_counter() - started

    with ThreadPoolExecutor(1) as pool:
        return list(pool.map(timed, questions))


async def bench(engine: Engine, n: int, concurrent: int, data_dir: Path) -> dict[str, list[float]]:
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(n)]
    results = {"engine.ask alone (same questions)": engine_alone(engine, questions)}
    with FakeTelegram(TOKEN) as fake:
        async with running_bot(engine, bot_settings(fake, data_dir)):
            await ask_one_at_a_time(fake, QUESTIONS[:3], first_user=1)  # warm up
            results["bot: update → sendMessage"] = await ask_one_at_a_time(fake, questions, first_user=1000)
            if concurrent > 1:
                batch = [QUESTIONS[i % len(QUESTIONS)] for i in range(concurrent)]
                results[f"bot: {concurrent} chats at once"] = await ask_all_at_once(fake, batch, first_user=5000)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=40, help="questions asked one at a time (default: 40)")
    parser.add_argument("--concurrent", type=int, default=8, help="chats asking at once in the second round (default: 8)")
    parser.add_argument("--index", metavar="DIR", help="use this index instead of building the bundled corpus into a temp folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="policyqa-bench-") as tmp:
        settings = Settings().with_(corpus_dir=REPO / "corpus", index_dir=Path(args.index) if args.index else Path(tmp) / "index")
        t = time.perf_counter()
        engine = Engine.open(settings, build_if_missing=True, progress=False)
        for question in QUESTIONS:  # load the model and the lazy parts outside the measurement
            engine.ask(question)
        print(f"engine ready in {time.perf_counter() - t:.1f} s ({len(engine.index.documents)} documents, "
              f"{len(engine.index.chunks)} passages); cpu cores: {len(os.sched_getaffinity(0))}, "
              f"load average: {os.getloadavg()[0]:.1f}")
        results = asyncio.run(bench(engine, args.n, args.concurrent, Path(tmp) / "bot"))

    print()
    print(f"| {'latency (ms)':<34} | {'n':>3} | {'p50':>7} | {'p95':>7} | {'max':>7} |")
    print(f"|{'-' * 36}|{'-' * 5}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    for name, seconds in results.items():
        print(summary(name, seconds))
    one_by_one = results["bot: update → sendMessage"]
    worst = max(one_by_one)
    print(f"\nload average after the run: {os.getloadavg()[0]:.1f} on {len(os.sched_getaffinity(0))} cores")
    print(f"target: every answer within {TARGET_SECONDS} s of its update (warm): "
          f"{'met' if worst <= TARGET_SECONDS else 'NOT met'} (max {worst:.2f} s)")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

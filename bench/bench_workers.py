"""Answers per second against the number of bot workers (`policyqa bot --workers N`, bot/workers.py).

For each N: starts `policyqa bot --webhook-url … --workers N` as a process over the given index,
pointed at the Bot API stand-in (tests/bot/fake_telegram.py), waits until every worker has
registered the webhook, then posts (again while refused with 503, as Telegram does) M questions from M different chats at once, as Telegram would
in a burst, and times the first post to the last answer's sendMessage. Also reports each
worker's memory (resident now, and peak) and the time from start to every worker ready. N=1 is
the single-process webhook bot, with no front.

    .venv/bin/python bench/bench_workers.py --index .policyqa/index           # N = 1, 2, 4; M = 200
    .venv/bin/python bench/bench_workers.py --index .policyqa/index --workers 1 2 -m 100
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.bench_bot import QUESTIONS, is_answer  # noqa: E402
from tests.bot.fake_telegram import FakeTelegram  # noqa: E402
from tests.bot.harness import TOKEN, child_pids, deliver, worker_bot  # noqa: E402


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def serving_pids(front: int, workers: int) -> list[int]:
    """The processes that answer: the workers (children of the front), or the bot itself."""
    return [front] if workers == 1 else child_pids(front)


async def one_round(index: Path, workers: int, m: int) -> dict:
    with FakeTelegram(TOKEN) as fake, tempfile.TemporaryDirectory(prefix="policyqa-workers-") as tmp:
        with worker_bot(fake, Path(tmp) / "bot", index, workers) as process:
            started = time.perf_counter()
            await fake.wait_for("setWebhook", count=workers, timeout=300)
            ready = time.perf_counter() - started
            chats = [fake.user(10_000 + i, "zh" if i % 3 == 1 else "vi") for i in range(m)]
            updates = [fake.new_update(**fake.text_update(u, QUESTIONS[i % len(QUESTIONS)])) for i, u in enumerate(chats)]
            t = time.perf_counter()
            statuses = await asyncio.gather(*(deliver(fake, u) for u in updates))
            answers = await fake.wait_for("sendMessage", count=m, timeout=600,
                                          where=lambda c: is_answer(c) and int(c.params["chat_id"]) >= 10_000)
            seconds = max(a.at for a in answers) - t
            memory = [memory_mb(pid) for pid in serving_pids(process.pid, workers)]
    return {"workers": workers, "ready": ready, "seconds": seconds, "rate": m / seconds,
            "refused": sum(s != 200 for s in statuses), "memory": memory}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, metavar="DIR", help="a built index (e.g. .policyqa/index)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], metavar="N")
    parser.add_argument("-m", type=int, default=200, help="questions posted at once (default: 200)")
    args = parser.parse_args()
    print(f"cpu cores: {len(os.sched_getaffinity(0))}, load average: {os.getloadavg()[0]:.1f}; {args.m} questions at once")
    print()
    print("| workers | ready (s) | all answered (s) | answers/s | refused | resident MB per worker | peak MB per worker |")
    print("|---|---|---|---|---|---|---|")
    for n in args.workers:
        r = asyncio.run(one_round(Path(args.index), n, args.m))
        rss = "/".join(f"{now:.0f}" for now, _ in r["memory"])
        peak = "/".join(f"{top:.0f}" for _, top in r["memory"])
        print(f"| {n} | {r['ready']:.1f} | {r['seconds']:.1f} | {r['rate']:.1f} | {r['refused']} | {rss} | {peak} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

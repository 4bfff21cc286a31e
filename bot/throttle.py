"""Per-user throttle: a token bucket per user, and one polite notice per flood.

Telegram's own limits are PTB's AIORateLimiter's job (outgoing requests); this guards the engine
and the other users against one person sending questions faster than anyone reads answers.
A user may send ``burst`` questions at once, then ``per_minute`` a minute. The first message over
the limit gets a notice; the rest of the flood is dropped silently until the bucket refills.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class Verdict(enum.Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # over the limit: tell the user once
    DROP = "drop"  # still over the limit, already told


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    notified: bool = False


class Throttle:
    def __init__(self, burst: int = 8, per_minute: float = 20.0, clock: Callable[[], float] = time.monotonic):
        if burst < 1 or per_minute <= 0:
            raise ValueError("burst and per_minute must be positive")
        self.burst = burst
        self.rate = per_minute / 60.0  # tokens per second
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._lock = threading.Lock()
        self.throttled = 0  # messages refused since start, for /stats

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(user_id)
            if bucket is None:
                bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
                if len(self._buckets) > 10_000:
                    self._forget_idle(now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                bucket.notified = False
                return Verdict.ALLOW
            self.throttled += 1
            if bucket.notified:
                return Verdict.DROP
            bucket.notified = True
            return Verdict.NOTIFY

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled completely: they behave like new ones."""
        full_after = self.burst / self.rate
        for uid in [u for u, b in self._buckets.items() if now - b.stamp >= full_after]:
            del self._buckets[uid]

"""`policyqa feedback`: the questions maintainers should look at, as a terminal table."""

from __future__ import annotations

import time

from .storage import FlaggedQuestion


def render_table(items: list[FlaggedQuestion], width: int = 100) -> str:
    """Most recent first: when, how often asked, how often nothing was found, votes, the question;
    under it the last answer given and its source, when there was one."""
    if not items:
        return "No questions with 👎 or without an answer yet."
    lines = [f"{'last asked':<16}  {'asked':>5}  {'no ans':>6}  {'👎':>3}  {'👍':>3}  question"]
    for item in items:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(item.last_asked))
        lines.append(f"{when:<16}  {item.asked:>5}  {item.not_found:>6}  {item.down:>4}  {item.up:>4}  {_cut(item.question, width)}")
        if item.last_answer:
            lines.append(f"{'':<44}→ {_cut(item.last_answer, width)}")
            for source in item.last_sources:
                lines.append(f"{'':<44}  {source['doc_id']} › {_cut(source['section'], width - 30)}")
    return "\n".join(lines)


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"

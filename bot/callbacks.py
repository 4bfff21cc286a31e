"""Callback data of the inline buttons: small, typed and validated.

Telegram gives callback data back verbatim, but anyone can forge it (it is at most 64 bytes chosen
by the client), so each button's data is parsed against a strict pattern and anything else is
"unknown" — answered politely, never an exception.

    src:<answer key>       the full cited passages of an answer
    sec:<answer key>       the whole section the answer quotes
    fb:<answer key>:up|down
    lang:vi|zh
    ex:<n>                 the n-th example question of /start
    file:<doc key>         send a document's file
    who:<list key>[:d:<page>]          /who's summary (a page of its documents)
    who:<list key>:<doc>:<page>        a page of the agency's items in one document
    dl:f|a:<page>          a page of /deadlines: plans in force, or all (ended ones too)
    noop                   a label on the keyboard ("2/5"): answered, nothing else
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_PATTERN = r"[A-Za-z0-9_-]{6,16}"
_PATTERNS = {
    "src": re.compile(rf"src:(?P<key>{KEY_PATTERN})"),
    "sec": re.compile(rf"sec:(?P<key>{KEY_PATTERN})"),
    "fb": re.compile(rf"fb:(?P<key>{KEY_PATTERN}):(?P<arg>up|down)"),
    "lang": re.compile(r"lang:(?P<arg>vi|zh)"),
    "ex": re.compile(r"ex:(?P<arg>\d{1,2})"),
    "file": re.compile(rf"file:(?P<key>{KEY_PATTERN})"),
    "who": re.compile(rf"who:(?P<key>{KEY_PATTERN})(?::(?P<arg>(?:d|\d{{1,3}}):\d{{1,3}}))?"),
    "dl": re.compile(r"dl:(?P<arg>[fa]:\d{1,3})"),
    "noop": re.compile(r"noop"),
}
# what the CallbackQueryHandlers match on; the handlers then parse() for the typed value.
# \Z, not $: "$" also matches before a final newline, and "src:<key>\n" then reached a handler
# whose parse() said None.
HANDLER_PATTERNS = {kind: re.compile(rf"^{p.pattern}\Z") for kind, p in _PATTERNS.items()}


def has_no_data(data: object) -> bool:
    """PTB's CallbackQueryHandler calls a pattern only for non-empty data and takes a query
    *without* data for a match of every pattern; a handler with this pattern, registered first,
    catches those (PTB then calls it only for non-empty data, where it says False)."""
    return False


@dataclass(frozen=True)
class Callback:
    kind: str  # src, sec, fb, lang, ex, file, who, dl, noop
    key: str = ""  # answer key, document key or list key
    arg: str = ""  # up/down, vi/zh, example number, "<doc>:<page>", "f|a:<page>"


def parse(data: str | None) -> Callback | None:
    """The button behind ``data``, or None when it is not one of ours."""
    if not data or len(data.encode("utf-8")) > 64:
        return None
    kind = data.split(":", 1)[0]
    pattern = _PATTERNS.get(kind)
    m = pattern.fullmatch(data) if pattern else None
    if m is None:
        return None
    groups = m.groupdict()
    return Callback(kind, groups.get("key") or "", groups.get("arg") or "")


def sources(key: str) -> str:
    return f"src:{key}"


def section(key: str) -> str:
    return f"sec:{key}"


def feedback(key: str, vote: str) -> str:
    return f"fb:{key}:{vote}"


def lang(code: str) -> str:
    return f"lang:{code}"


def example(n: int) -> str:
    return f"ex:{n}"


def file(doc_key: str) -> str:
    return f"file:{doc_key}"


def who(key: str, doc: int | None = None, page: int = 0) -> str:
    return f"who:{key}" if doc is None else f"who:{key}:{doc}:{page}"


def who_docs(key: str, page: int) -> str:
    return f"who:{key}:d:{page}" if page else f"who:{key}"


def deadlines(mode: str, page: int) -> str:
    return f"dl:{mode}:{page}"


def noop() -> str:
    return "noop"

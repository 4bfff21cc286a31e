"""Answers, passages and documents → Telegram HTML messages (and their inline keyboards).

Everything that comes from a document or a user goes through `html.escape`, so a title or a
question holding "<b>" or "&" can never break the markup. Text is built as blocks of `Span`s
(plain text + the tag that wraps it) and only rendered to HTML when packed into messages: a long
text is then cut between blocks, or at sentence boundaries inside a block, with every tag closed
and reopened around the cut, so each message stays under Telegram's 4096-character limit and is
valid HTML on its own.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from index.lang import rules
from index.render import also_in_names, by_document, format_date, sections_line
from index.sentences import clip
from index.types import DocMeta

from . import callbacks as cb
from .answers import AnswerRecord
from .i18n import t

MAX_MESSAGE = 4096  # Telegram's limit for one text message
QUOTE_CHARS = 600  # the clause quoted on an answer card; the whole passage is under "Nguồn / 来源"


@dataclass(frozen=True)
class Span:
    """Plain text and the tag wrapping it: "", "b", "i", "code", "blockquote", 'a href="…"'."""

    text: str
    tag: str = ""

    def html(self, text: str | None = None) -> str:
        body = esc(self.text if text is None else text)
        if not self.tag:
            return body
        return f"<{self.tag}>{body}</{self.tag.split()[0]}>"


class Raw(Span):
    """Text that is already HTML: an i18n string whose placeholders were filled with escaped values.
    Only for short texts (never cut inside, so a tag cannot be split)."""

    def html(self, text: str | None = None) -> str:
        return self.text if text is None else text


Block = Sequence[Span]


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


# --- splitting ---------------------------------------------------------------------------------

# A cut goes after sentence-ending punctuation followed by spaces, after Chinese sentence
# punctuation, or at line ends; the cut keeps the text as it was ("".join(units) == text).
_CUT = re.compile(r"[.!?…;]+[\"'”’)\]»]*\s+|[。！？；]+[”’」』）]*|\n+")


def sentence_units(text: str) -> list[str]:
    units, start = [], 0
    for m in _CUT.finditer(text):
        if m.end() > start:
            units.append(text[start : m.end()])
            start = m.end()
    if start < len(text):
        units.append(text[start:])
    return units


def _hard_split(text: str, tag: str, budget: int) -> list[str]:
    """Cut a sentence longer than one message: at a space when there is one, else anywhere."""
    span = Span(text, tag)
    pieces = []
    while text:
        if utf16_len(span.html(text)) <= budget:
            pieces.append(text)
            break
        lo, hi = 1, len(text)  # the longest prefix that fits
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if utf16_len(span.html(text[:mid])) <= budget:
                lo = mid
            else:
                hi = mid - 1
        space = text.rfind(" ", 0, lo)
        cut = space + 1 if space > lo // 2 else lo
        pieces.append(text[:cut])
        text = text[cut:]
    return pieces


def _render(atoms: list[tuple[int, int, str]], blocks: Sequence[Block], sep: str) -> str:
    """HTML of one message: atoms are (block index, span index, text) in order."""
    groups: list[list] = []  # [block, span, text] runs
    for b, s, text in atoms:
        if groups and groups[-1][0] == b and groups[-1][1] == s:
            groups[-1][2] += text
        else:
            groups.append([b, s, text])
    if groups:
        groups[0][2] = groups[0][2].lstrip()
        groups[-1][2] = groups[-1][2].rstrip()
    out, last_block = [], None
    for b, s, text in groups:
        if not text:
            continue
        if last_block is not None and b != last_block:
            out.append(sep)
        out.append(blocks[b][s].html(text))
        last_block = b
    return "".join(out)


def pack(blocks: Sequence[Block], limit: int = MAX_MESSAGE, sep: str = "\n\n") -> list[str]:
    """Blocks → as few HTML messages as fit under ``limit``; cuts fall between blocks when a block
    fits in a message of its own, else at sentence boundaries."""
    blocks = [b for b in blocks if any(s.text.strip() for s in b)]
    messages: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []

    def fits(atoms) -> bool:
        return utf16_len(_render(atoms, blocks, sep)) <= limit

    for bi, block in enumerate(blocks):
        whole = [(bi, si, span.text) for si, span in enumerate(block)]
        if fits(current + whole):
            current += whole
            continue
        if current and fits(whole):
            messages.append(current)
            current = whole
            continue
        for si, span in enumerate(block):
            for unit in [span.text] if isinstance(span, Raw) else sentence_units(span.text):
                pieces = [unit] if utf16_len(span.html(unit)) <= limit or isinstance(span, Raw) else _hard_split(unit, span.tag, limit)
                for piece in pieces:
                    atom = (bi, si, piece)
                    if fits([*current, atom]):
                        current.append(atom)
                    else:
                        if _render(current, blocks, sep):
                            messages.append(current)
                        current = [atom]
    if _render(current, blocks, sep):
        messages.append(current)
    return [_render(m, blocks, sep) for m in messages]


# --- pieces of text ----------------------------------------------------------------------------

def _details(number: str | None, date: str | None, lang: str) -> str:
    labels = rules(lang).LABELS
    sep = "，" if lang == "zh" else ", "
    parts = [f"{labels['number']} {number}" if number else "", f"{labels['date']} {format_date(date, lang)}" if date else ""]
    return sep.join(p for p in parts if p)


def _colon(lang: str) -> str:
    return rules(lang).COLON


def _label(text: str, lang: str, tag: str = "b") -> list[Span]:
    """"Nguồn: " with the label and colon in ``tag`` and the space after it outside."""
    colon = _colon(lang)
    return [Span(text + colon.rstrip(), tag), Span(colon[len(colon.rstrip()):])]


def answer_blocks(record: AnswerRecord, ui: str | None = None) -> list[Block]:
    """The answer card, one message: the direct answer (a list as lines under it), the clause it
    comes from, and each cited document once (number, date, section, the other documents holding
    the same clause, the note on an ended plan); labels in ``ui``, else the question's language."""
    if not record.found:
        return [[Span(rules(ui or record.lang).NOT_FOUND if ui and ui != record.lang else record.text)]]
    lang = ui or record.lang
    labels = rules(lang).LABELS
    listed = "\n" in record.text  # a list of duties or deadlines: its items are the quotes
    if listed:
        head = [Span("💬 "), Span(labels["answer"] + _colon(lang).rstrip(), "b"), Span("\n" + record.text)]
    else:
        head = [Span("💬 "), *_label(labels["answer"], lang), Span(f"«{record.text}»")]
    blocks: list[Block] = [head]
    for c, sections in by_document(record.citations):
        if not listed and c.quote and c.quote != record.text:
            blocks.append([*_label(labels["quote"], lang), Span("\n"), Span(clip(c.quote, QUOTE_CHARS), "blockquote")])
        cite: list[Span] = [Span("📄 "), *_label(labels["source"], lang), Span(c.title)]
        details = _details(c.number, c.date, lang)
        if details:
            cite.append(Span(f"\n{details}"))
        if sections:
            cite += [Span("\n"), *_label(labels["section"], lang), Span(sections_line(sections, lang))]
        if c.also_in:
            cite += [Span("\n"), *_label(labels["also_in"], lang), Span(also_in_names(c.also_in, lang))]
        if c.period_ended:
            cite += [Span("\n"), Span("⚠️ " + labels["period_ended"].format(period=c.period_ended), "i")]
        blocks.append(cite)
    return blocks


def sources_blocks(record: AnswerRecord, ui: str) -> list[Block]:
    """"Nguồn / 来源": each passage the answer was drawn from, once (a list of twelve duties from
    two passages shows two), then other passages of the same documents; labels in ``ui``."""
    labels = rules(ui).LABELS
    blocks: list[Block] = [[Span(t(ui, "sources_title"), "b")]]
    shown: set[tuple[str, str]] = set()
    for c in record.citations:
        if (c.doc_id, c.passage) in shown:
            continue
        shown.add((c.doc_id, c.passage))
        head: list[Span] = [Span("📄 "), Span(c.title, "b")]
        details = _details(c.number, c.date, ui)
        if details:
            head.append(Span(f"\n{details}"))
        if c.section:
            head += [Span("\n"), *_label(labels["section"], ui, "i"), Span(c.section)]
        blocks += [head, [Span(c.passage, "blockquote")]]
    if record.related:
        blocks.append([Span(labels["more"], "b")])
        for p in record.related:
            head = [Span("📄 "), Span(p.title, "b")]
            if p.section:
                head += [Span("\n"), *_label(labels["section"], ui, "i"), Span(p.section)]
            blocks += [head, [Span(p.text, "blockquote")]]
    return blocks


def section_blocks(title: str, section: str, text: str, ui: str) -> list[Block]:
    """"Toàn văn mục / 查看本节": the section's whole text, paragraph by paragraph."""
    head: list[Block] = [[Span("📖 "), *_label(t(ui, "section_title"), ui), Span(section)], [Span(title, "i")]]
    return head + paragraph_blocks(text)


def paragraph_blocks(text: str) -> list[Block]:
    """Plain text, one block per non-empty line, so long texts split between paragraphs."""
    return [[Span(par)] for par in text.split("\n") if par.strip()]


def doc_lines(meta: DocMeta, ui: str, year: int | None = None) -> list[str]:
    """Number, issuer, date and period of a document, one plain line each (ended plans say so)."""
    year = year or dt.date.today().year
    labels = rules(ui).LABELS
    colon = _colon(ui)
    lines = []
    if meta.number:
        lines.append(f"{labels['number']}{colon}{meta.number}")
    if meta.issuer:
        lines.append(f"{t(ui, 'issuer')}{colon}{meta.issuer}")
    if meta.date:
        lines.append(f"{labels['date'].capitalize()}{colon}{format_date(meta.date, ui)}")
    if meta.period:
        ended = f" ({t(ui, 'ended')})" if meta.period_end and meta.period_end < year else ""
        lines.append(f"{t(ui, 'period')}{colon}{meta.period}{ended}")
    return lines


def docs_blocks(docs: Iterable[tuple[str, DocMeta]], ui: str, bot_username: str | None) -> list[Block]:
    """/docs: every document with number, issuer, date and period, and a deep link to open it."""
    docs = list(docs)
    if not docs:
        return [[Span(t(ui, "docs_empty"))]]
    blocks: list[Block] = [[Span("📚 "), Span(t(ui, "docs_title", n=len(docs)), "b")]]
    for i, (doc_key, meta) in enumerate(docs, start=1):
        block: list[Span] = [Span(f"{i}. "), Span(meta.title, "b")]
        lines = doc_lines(meta, ui)
        if lines:
            block.append(Span("\n" + "\n".join(lines)))
        if bot_username:
            link = f"https://t.me/{bot_username}?start=doc-{doc_key}"
            block += [Span("\n→ "), Span(t(ui, "doc_open"), f'a href="{esc(link)}"')]
        blocks.append(block)
    return blocks


def doc_card_blocks(meta: DocMeta, ui: str) -> list[Block]:
    return [[Span("📄 "), Span(meta.title, "b")], [Span("\n".join(doc_lines(meta, ui)))]]


# --- keyboards ---------------------------------------------------------------------------------


def answer_keyboard(record: AnswerRecord, ui: str, vote: str | None = None,
                    counts: tuple[int, int] | None = None) -> InlineKeyboardMarkup:
    """Sources and section under a found answer, then 👍 / 👎: with ``vote``, the one this user
    gave marked ✓ (a private chat); with ``counts``, how many gave each (a group)."""
    rows = []
    if record.found and record.citations:
        row = [InlineKeyboardButton(t(ui, "btn_sources"), callback_data=cb.sources(record.key))]
        if any(c.section for c in record.citations):
            row.append(InlineKeyboardButton(t(ui, "btn_section"), callback_data=cb.section(record.key)))
        rows.append(row)
    def mark(kind: str, n: int) -> str:
        if counts is not None:
            return f" {n}" if n else ""
        return " ✓" if vote == kind else ""

    up, down = counts or (0, 0)
    rows.append(
        [
            InlineKeyboardButton(t(ui, "btn_up") + mark("up", up), callback_data=cb.feedback(record.key, "up")),
            InlineKeyboardButton(t(ui, "btn_down") + mark("down", down), callback_data=cb.feedback(record.key, "down")),
        ]
    )
    return InlineKeyboardMarkup(rows)


def examples_keyboard(ui: str) -> InlineKeyboardMarkup:
    questions = t(ui, "example_questions")
    return InlineKeyboardMarkup([[InlineKeyboardButton(q, callback_data=cb.example(i))] for i, q in enumerate(questions)])


def lang_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t(code, "lang_name"), callback_data=cb.lang(code)) for code in ("vi", "zh")]]
    )


def file_keyboard(doc_key: str, ui: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t(ui, "btn_file"), callback_data=cb.file(doc_key))]])


def human_size(n: int) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"

"""Split text into sentences and clauses, whatever the script (the rules come from lang/)."""

from __future__ import annotations

import re

from .lang import vi, zh


def _split(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[str]:
    parts = [text]
    for pattern in patterns:
        parts = [p for part in parts for p in pattern.split(part)]
    return [p.strip() for p in parts if p and p.strip()]


# "5.2. ", "1. ", "II. " open a list item; the dot after them does not end a sentence
_LEADING_MARKER = re.compile(r"^\s*(?:[IVXL]{1,5}|\d{1,2}(?:\.\d{1,2}){0,2})\.\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph; a paragraph with no sentence end is one sentence."""
    marker = _LEADING_MARKER.match(text)
    head, body = (text[: marker.end()], text[marker.end() :]) if marker else ("", text)
    sentences = _split(body, (zh.SENTENCE_BREAK, vi.SENTENCE_BREAK))
    if head and sentences:
        sentences[0] = head + sentences[0]
    return sentences


def split_clauses(sentence: str) -> list[str]:
    """Clauses of one sentence, at commas, colons and semicolons."""
    return _split(sentence, (zh.CLAUSE_BREAK, vi.CLAUSE_BREAK))


def estimate_tokens(text: str) -> int:
    """A generous estimate of XLM-R sentencepiece tokens, without loading the tokenizer.

    CJK characters count one each, other words about 1.5 (Vietnamese syllables with diacritics
    often split in two), punctuation one. Measured against the real tokenizer in the tests.
    """
    cjk = sum(len(run) for run in zh.CJK_RUN.findall(text))
    words = len(re.findall(r"[^\W\d_]+|\d+", zh.CJK_RUN.sub(" ", text)))
    punct = len(re.findall(r"[^\w\s]", text))
    return int(cjk + 1.5 * words + punct) + 2


_SENTENCE_END = re.compile(r"[.!?;。！？；](?=\s|$)|[。！？；]")
_WORD_GAP = re.compile(r"\s|[，、,：:）)]")


def clip(text: str, limit: int) -> str:
    """``text`` whole when it fits in ``limit`` characters; else cut at the last sentence end in
    the second half of the limit, failing that at a word boundary (a space, or a comma between
    Chinese words), with "…": never mid-word, so «…tỉnh Hà T…» cannot happen. Line breaks stay."""
    text = re.sub(r"[ \t]+", " ", text).strip()
    if len(text) <= limit:
        return text
    window = text[:limit]  # a word ending at the last character that fits is whole when a gap follows it
    for pattern in (_SENTENCE_END, _WORD_GAP):
        cuts = [piece for m in pattern.finditer(window) if m.end() >= limit // 2
                if len(piece := window[: m.end()].rstrip(" \n,，、;；:：")) < limit]
        if cuts:
            return cuts[-1] + "…"
    # one long word (a URL) or Chinese without punctuation: every character is a boundary there
    return window[: limit - 1].rstrip() + "…"

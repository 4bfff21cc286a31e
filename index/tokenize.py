"""Text → BM25 tokens, for both languages at once.

A passage or question may mix scripts (a Vietnamese plan citing a number, a Chinese question naming
"Kon Tum"), so tokens are made per script run: CJK runs go through jieba, everything else through
the Vietnamese rules (folded syllables and their pairs), which also serve plain Latin text.
Whole documents (and the question's side of their BM25) also get Chinese character pairs
(index/lang/zh.py); passages and answer selection keep the words alone.
"""

from __future__ import annotations

import unicodedata

from .lang import vi, zh


def normalize(text: str) -> str:
    """NFKC (full-width "２０２２" → "2022", "（" → "("), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def tokenize(text: str) -> list[str]:
    text = normalize(text)
    out: list[str] = []
    pos = 0
    for run in zh.CJK_RUN.finditer(text):
        out.extend(vi.tokens(text[pos : run.start()]))
        out.extend(zh.words(run.group()))
        pos = run.end()
    out.extend(vi.tokens(text[pos:]))
    return out


def tokenize_question(text: str) -> list[str]:
    """Tokens of a question, without the words of asking ("bao nhiêu", "多少")."""
    drop = vi.QUESTION_STOPWORDS | zh.QUESTION_STOPWORDS
    return [
        t for t in tokenize(text)
        if t not in drop and not ("_" in t and any(part in drop for part in t.split("_")))
    ]


def tokenize_document(text: str, *, question: bool = False) -> list[str]:
    """Tokens for BM25 over whole documents: the words, plus the character pairs of every CJK run.
    With ``question``, the question's side: its words as ``tokenize_question`` gives them, and pairs
    only of the characters those words keep (no pairs of "多少", "哪些"). Vietnamese gets nothing
    more."""
    text = normalize(text)
    words = tokenize_question(text) if question else tokenize(text)
    pairs = zh.question_pairs if question else zh.pairs
    return words + [p for run in zh.CJK_RUN.finditer(text) for p in pairs(run.group())]

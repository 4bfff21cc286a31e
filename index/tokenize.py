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


def tokenize(text: str, *, question: bool = False) -> list[str]:
    """BM25 tokens. With ``question``, without the words of asking ("bao nhiêu", "多少"), told by
    their marks when the question has any (vi.QUESTION_STOPWORDS)."""
    text = normalize(text)
    asking = ("bare" if not vi.has_diacritics(text) else "marked") if question else None
    out: list[str] = []
    pos = 0
    for run in zh.CJK_RUN.finditer(text):
        out.extend(vi.tokens(text[pos : run.start()], question=asking))
        out.extend(w for w in zh.words(run.group()) if not (question and w in zh.QUESTION_STOPWORDS))
        pos = run.end()
    out.extend(vi.tokens(text[pos:], question=asking))
    return out


def tokenize_question(text: str) -> list[str]:
    """Tokens of a question, without the words of asking (see ``tokenize``)."""
    return tokenize(text, question=True)


def content_words(text: str) -> list[str]:
    """The words a question asks with, without the words of asking and the syllable pairs BM25
    adds: how long a question really is ("kinh phí thực hiện từ đâu?" → 4)."""
    return [t for t in tokenize_question(text) if not vi.is_pair(t)]


def tokenize_document(text: str, *, question: bool = False) -> list[str]:
    """Tokens for BM25 over whole documents: the words, plus the character pairs of every CJK run.
    With ``question``, the question's side: its words as ``tokenize_question`` gives them, and pairs
    only of the characters those words keep (no pairs of "多少", "哪些"). Vietnamese gets nothing
    more."""
    text = normalize(text)
    words = tokenize(text, question=question)
    pairs = zh.question_pairs if question else zh.pairs
    return words + [p for run in zh.CJK_RUN.finditer(text) for p in pairs(run.group())]

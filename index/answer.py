"""Ranked passages → a direct, extractive answer: the sentence or clause that holds the fact.

No language model: the question type says what kind of fact is wanted (a date, an agency with its
role, an amount with its unit, …) and, for a record, which labelled field (index/fields.py). Every
candidate of the top passages (a sentence, a labelled field, a list with its lead-in) is scored by
one learned model (index/scorer.py) over how much of the question it covers, whether it holds that
kind of fact or is the field labelled for it, and how well its passage ranked. A second learned
model says whether the documents answer at all; when they do not, the answer says so plainly.

The steps: the question, read once into ``Query.question`` (index/question.py: its type, what it
asks for, the figures and years it names); ``candidates`` reads the passages into scored candidates
(a ``Reading``); ``select`` takes the best with the evidence the second model weighs; ``answer``
declines below the threshold or quotes it (``_trim``) with its citation.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import abstain
from .chunking import SHORT_LEAD_IN, document_head
from .fields import kinds_of_label, label_of, split_fields, states_nothing
from .lang import glossary, rules, vi, zh
from .lexical import LexicalIndex
from .question import Question
from .reader import Reader
from .retrieve import Query
from .scorer import Scorer
from .scorer import default as default_scorer
from .sentences import clip, split_clauses, split_sentences
from .tokenize import normalize, tokenize
from .types import Answer, Citation, DocMeta, DocRef, Document, Hit

MAX_ANSWER_CHARS = 300
# Credit for a question word found not in the sentence but around it: in its heading or section
# (what the sentence is about), or only in the document's title and issuer (which plan, where).
CONTEXT_CREDIT = 0.8
DOCUMENT_CREDIT = 0.5
# A question word the corpus never saw weighs this share of the question's rarest seen word: it is
# the asker's own wording ("bao lâu", "因为", "孩子") as often as a thing the documents lack
# (eval/README.md: 1.0, 0.5, 0.25, 0 measured)
UNSEEN_WORD_WEIGHT = 0.5
# A glossary reading of the question speaks only for the words the glossary knew: a full match of it
# is worth GLOSSARY_WORTH, plus the rest in proportion to the question's weight it translated
GLOSSARY_WORTH = 0.4
PAIR_SHARE = 0.2  # of coverage, for the question's word pairs ("thời_hạn") found together
CLAUSE_FACT_BONUS = 0.3  # a long sentence is cut to its clause that covers the question, this more for the fact asked
ANCHOR_CHARS = 10  # a run of clauses holds the clause it was chosen for when it holds this many of its first characters
# confidence: coverage, less up to KEY_DISCOUNT for the question's rarest words missing, and up to
# FACT_DISCOUNT for a missing fact of the kind asked
KEY_DISCOUNT = 0.4
FACT_DISCOUNT = 0.3
PASSAGES_READ = 5  # answers are drawn from this many top passages
MIN_TITLE_CHARS = 15  # a shorter text is no restated title
LIST_ANSWER_CHARS = 380  # a list's lead-in with its items may run longer than one clause
HEADING_QUOTED_CHARS = 80  # a longer heading is not quoted before its sentence; a list item's lead-in is
_HEADING_LINE = re.compile(rf"^(?:{vi.ANSWER_HEADING_MARKER}|{zh.ANSWER_HEADING_MARKER})\s*\S")
_ASKED = re.compile(r"[?？]\s*$")  # a sentence that asks
_LIST_ITEM = re.compile(rf"^\s*(?:{vi.LIST_ITEM_MARKER}|{zh.LIST_ITEM_MARKER}|[a-zđ]\)|\(\d+\)|\d+\))\s*")


@dataclass
class _Candidate:
    text: str  # the sentence to quote
    heading: str  # the heading or lead-in line it sits under inside its passage, if any
    section: str  # the passage's section path
    document: str  # the document's title and issuer
    hit_index: int
    score: float = 0.0
    coverage: float = 0.0
    items: tuple[str, ...] = ()  # a list's items, when the candidate is a lead-in with its list
    before: str = ""  # the sentence a short lead-in goes on from ("… gửi phòng Lao động. Hồ sơ gồm:")
    after: str = ""  # the sentence after it in its paragraph, which may state the figure it leads up to
    label: str = ""  # the field label it states or sits under ("Thời hạn giải quyết", "办理时限"), if any
    features: dict[str, float] = field(default_factory=dict)  # what the scorer weighs (index/scorer.py)

    @property
    def body(self) -> str:
        """What the candidate states: the sentence (a short lead-in with the one before it), its items."""
        return "\n".join(x for x in (self.before, self.text, *self.items) if x)

    @property
    def reading(self) -> str:
        """What the reader reads with the question: the body under its document and heading
        ("Thời hạn giải quyết: 15 Ngày" alone does not say of which procedure)."""
        return "\n".join(x for x in (self.document, self.heading, self.body) if x)


def _candidates(hits: list[Hit], documents: dict[str, Document], lists: bool = False) -> list[_Candidate]:
    """Every sentence of the top passages, each field of a labelled line ("Thời hạn giải quyết: 30
    Ngày") with its label; with ``lists``, also each list (lead-in and items) whole."""
    out: list[_Candidate] = []
    for i, hit in enumerate(hits):
        context = hit.chunk.section[-1] if hit.chunk.section else ""
        # a field unit's continuation lines sit under its label (index/chunking.py)
        section_label = context if kinds_of_label(context) else ""
        document = document_head(documents[hit.chunk.doc_id].meta)
        lines = [line.strip() for line in hit.chunk.text.splitlines() if line.strip()]
        for n, line in enumerate(lines):
            marked = _HEADING_LINE.match(line)
            if line.endswith((":", "：")) or (marked and len(line) <= 80 and not re.search(r"[.。;；]$", line)):
                # a heading or a list's lead-in ("Hồ sơ … bao gồm:") is the context of what follows
                context = line.rstrip(":： ")
                if lists and (items := _list_items(lines[n + 1 :])):
                    # a short lead-in ("Hồ sơ gồm:") goes on from the sentence before it
                    before = lines[n - 1] if n and len(line) < SHORT_LEAD_IN else ""
                    out.append(_Candidate(line, "", hit.chunk.section_path, document, i, items=items, before=before))
                elif _has_figure(line):
                    # a lead-in may state a fact itself ("… tổng số điểm tối đa là 1.000 điểm:")
                    out.append(_Candidate(line, "", hit.chunk.section_path, document, i))
                continue
            label = label_of(line) or section_label
            fields = [f for f in split_fields(line) if not states_nothing(f)]
            if not fields:
                continue  # "Cơ quan phối hợp: Không có thông tin"
            if len(fields) > 1:  # "Hình thức nộp: Trực tiếp; Thời hạn giải quyết: 30 Ngày; Phí, lệ phí: …"
                out.extend(_Candidate(f, "", hit.chunk.section_path, document, i, label=label_of(f) or "") for f in fields)
            head = re.split(r"[:：。]", line, maxsplit=1)[0]
            if marked and len(head) < min(60, len(line) - 15):
                context = head.strip()  # an inline heading: "b) Phương thức thực hiện: Chi cục …"
            sentences = split_sentences(line)
            for k, sentence in enumerate(sentences):
                if _ASKED.search(sentence):
                    # a question the document asks itself ("问：外地人可否进上海看病就医？") states no
                    # answer: it heads the sentences that give it, like a heading
                    context = sentence
                elif len(sentence) >= 8:
                    after = sentences[k + 1] if k + 1 < len(sentences) else ""
                    out.append(_Candidate(sentence, context, hit.chunk.section_path, document, i, after=after, label=label))
    return out


def _list_items(lines: list[str]) -> tuple[str, ...]:
    """The items right after a lead-in: consecutive lines opening with a list marker (two or more)."""
    items = []
    for line in lines:
        if not _LIST_ITEM.match(line):
            break
        items.append(line)
    return tuple(items) if len(items) >= 2 else ()


def _list_text(c: _Candidate, limit: int = LIST_ANSWER_CHARS) -> str:
    """A lead-in and as many of its items as fit in ``limit`` (each item cut at its first sentence)."""
    text = c.text
    for n, item in enumerate(c.items):
        item = split_sentences(item)[0] if split_sentences(item) else item
        if len(item) > 140:
            item = item[:139].rstrip() + "…"
        if len(text) + 1 + len(item) > limit - 2:
            return text + (" …" if n < len(c.items) else "")
        text += "\n" + item
    return text


class _Weights:
    """idf weights of the question's words, and how much of them a sentence covers.

    Two groups: the question's own words, and its glossary concepts in the other language (for a
    Chinese question about a Vietnamese plan; each concept once, found as any of its alternative
    terms); a sentence covers the question as well as it covers the better group. Chinese words
    count when their characters appear in the sentence, so "床位" still matches "床位数" whatever
    jieba made of either. A word the corpus never saw weighs half as much as the question's rarest
    seen word (``UNSEEN_WORD_WEIGHT``): a passage without it may not answer the question, or the
    asker may word it otherwise.
    """

    def __init__(self, query: Query, lexical: LexicalIndex):
        own = self._group(query.tokens, lexical)
        # each place the question names, with all its forms
        self.place_forms = glossary.places_named(query.glossary_terms)
        # the place the question names says which plan, not which clause: a sentence naming it
        # ("các phường thuộc thành phố Kon Tum") is no nearer the answer than one of the same plan
        # that does not, so its words count only as the document's
        self.places = frozenset(t for forms in self.place_forms for form in forms
                                for t in tokenize(form)) & set(query.tokens)
        self.groups = [own]  # (word weights, pair weights, how much a full match of the group is worth)
        if query.glossary_terms:
            # glossary terms count as whole phrases ("Thượng Hải", not "thượng" + "hai"), and speak
            # only for the part of the question the glossary knew
            # figures and years ("2020", "65") are written alike in both languages: they count too
            figures = {t: w for t, w in own[0].items() if t[:1].isdigit()}
            translated = sum(w for t, w in own[0].items() if t in set(query.translated_from) or t in figures)
            share = translated / (sum(own[0].values()) or 1.0)
            self.groups.append((_concepts(query, lexical) | figures, {}, GLOSSARY_WORTH + (1 - GLOSSARY_WORTH) * share))

    @staticmethod
    def _group(tokens, lexical: LexicalIndex) -> tuple[dict[str, float], dict[str, float]]:
        tokens = list(dict.fromkeys(tokens))
        top = max((lexical.idf(t) for t in tokens), default=1.0) or 1.0
        words = {t: (lexical.idf(t) if lexical.holds(t) else UNSEEN_WORD_WEIGHT * top) for t in tokens if "_" not in t}
        pairs = {t: lexical.idf(t) for t in tokens if "_" in t and lexical.holds(t)}
        return words, pairs, 1.0

    def coverage(self, text: str, context: str = "", document: str = "") -> float:
        """Share of the question's weight found in ``text`` (words found only in its ``context`` or
        its ``document`` title earn partial credit), with a bonus for shared word pairs."""
        found_in, around, in_doc = _present(text), _present(context), _present(document)
        best = 0.0
        for words, pairs, worth in self.groups:
            found = 0.0
            for t, w in words.items():
                if t in self.places:
                    found += DOCUMENT_CREDIT * w if (found_in(t) or around(t) or in_doc(t)) else 0.0
                elif found_in(t):
                    found += w
                elif around(t):
                    found += CONTEXT_CREDIT * w
                elif in_doc(t):
                    found += DOCUMENT_CREDIT * w
            score = found / (sum(words.values()) or 1.0)
            if pairs:
                shared = sum(w for t, w in pairs.items() if t not in self.places and (found_in(t) or around(t)))
                score = (1 - PAIR_SHARE) * score + PAIR_SHARE * shared / (sum(pairs.values()) or 1.0)
            best = max(best, worth * score)
        return best

    def localized(self, texts: list[str]) -> _Weights:
        """The same words, each also weighted by how few of ``texts`` (the candidate sentences with
        their context) hold it: words that most candidates share, like the plan's topic restated
        in sentence after sentence, tell none of them apart from the answer."""
        present = [_present(t) for t in texts]
        n = len(present)

        def local(t: str) -> float:
            held = sum(p(t) for p in present)
            return math.log(1 + (n - held + 0.5) / (held + 0.5))

        out = copy.copy(self)
        out.groups = [({t: w * local(t) for t, w in words.items()}, {t: w * local(t) for t, w in pairs.items()}, worth)
                      for words, pairs, worth in self.groups]
        return out

    def key_coverage(self, text: str, context: str = "") -> float:
        """Share of the question's two rarest words found in ``text`` or ``context``.

        A question about something the documents never mention ("Nga Sơn", "公交车") usually shares
        its common words with some passage but not its rarest ones.
        """
        present = _present(f"{text}\n{context}")
        best = 0.0
        for words, _pairs, _worth in self.groups:
            rarest = sorted(words, key=lambda t: -words[t])[:2]
            if rarest:
                best = max(best, sum(present(t) for t in rarest) / len(rarest))
        return best


def _concepts(query: Query, lexical: LexicalIndex) -> dict[tuple[str, ...], float]:
    """The question's glossary phrases, each as its alternative terms in the other language (one
    key: a passage states "báo cáo" or "tờ trình", not both) weighted by its most common
    alternative: the concept is as rare as its usual wording, not as its rarest abbreviation."""
    out: dict[tuple[str, ...], float] = {}
    for terms in query.glossary_concepts:
        weights = [max((lexical.idf(t) for t in tokenize(term) if "_" not in t), default=0.0) for term in terms]
        key = tuple(_phrase_key(term) for term in terms)
        out[key] = max(out.get(key, 0.0), min((w for w in weights if w > 0), default=1.0))
    return out


def _phrase_key(term: str) -> str:
    """A glossary term as _Present matches it: Chinese as is, Vietnamese folded and space-padded."""
    return term if zh.CJK_RUN.match(term) else vi.padded(term)


_QUOTES = re.compile("[\"'“”‘’「」『』《》〈〉]")


class _Present:
    """Whether a question token occurs in a text (Chinese words by their characters)."""

    def __init__(self, text: str):
        self.tokens = set(tokenize(text))
        # quotes inside a Chinese term (残疾人“两项补贴”) must not hide it
        self.plain = _QUOTES.sub("", normalize(text))
        self.folded = vi.padded(text)

    def __call__(self, token: str | tuple[str, ...]) -> bool:
        if isinstance(token, tuple):  # a glossary concept: any of its alternatives
            return any(self(alternative) for alternative in token)
        if token.startswith(" "):  # a Vietnamese glossary phrase (see _phrase_key): match it whole
            return token in self.folded
        return token in self.tokens or bool(zh.CJK_RUN.match(token) and token in self.plain)


# A sentence, its heading and its document title are read for every weighting of every question
# (coverage, candidate-distinct coverage, confidence): tokenize each text once.
_present = lru_cache(maxsize=4096)(_Present)


_FIGURE = re.compile(r"(?<![A-Za-z0-9.])\d+(?:[.,/]\d+)*\s*(?:%|[^\W\d_]|[\u4e00-\u9fff])")
_LEADING_MARKER = re.compile(rf"^\s*(?:{vi.ANSWER_HEADING_MARKER}|{vi.LIST_ITEM_MARKER}|{zh.LIST_ITEM_MARKER})\s*")


def _has_figure(text: str) -> bool:
    """A number with a unit or a noun after it ("04 lần/năm", "35张"), not a list marker."""
    return bool(_FIGURE.search(_LEADING_MARKER.sub("", text)))


def _script(text: str) -> str:
    """"zh" for a text with Chinese characters, else "vi": whose rules read it."""
    return "zh" if zh.CJK_RUN.search(text) else "vi"


def _joiner(text: str) -> str:
    """What joins sentences or clauses of ``text``: nothing in Chinese, a space otherwise."""
    return "" if zh.CJK_RUN.search(text) else " "


def _has_asked_figure(text: str, unit: str | None, lang: str) -> bool:
    """A figure of what a question in ``lang`` counts ("300 xã" for "bao nhiêu xã", money for
    "多少钱", a span of time for "mấy ngày"; index/lang asked_unit); any figure when it does not say, or when its unit has no
    known form in the sentence's language."""
    if unit is None:
        return _has_figure(text)
    text_lang = _script(text)
    lang_rules = rules(text_lang)
    if unit == "money":
        return bool(lang_rules.MONEY_FIGURE.search(text))
    if unit == "time":
        return bool(lang_rules.SPAN_OF_TIME.search(text))
    if unit == "percent":
        return bool(lang_rules.PERCENT_FIGURE.search(text))
    forms = (unit,) if text_lang == lang else glossary.units(unit, lang)
    return any(lang_rules.counts(text, form) for form in forms) if forms else _has_figure(text)


_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:gov\.vn|com\.vn|org\.vn|edu\.vn|vn|gov\.cn|com\.cn|cn|com|org|net)\b")
_PHONE = re.compile(r"(?<![\d.,/])(?:\(?\+?\d{2,4}\)?[\s.-]?)?\d{3,4}[\s.-]?\d{3,4}(?:[\s.-]?\d{2,4})?(?![\d.,/%])|\b12345\b")
_YEARS = re.compile(r"^(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d$")


def _has_contact(text: str, kind: str) -> bool:
    """A web address, a named site ("site": a URL or "Cổng thông tin …", "…网站"), a phone number
    (not a span of years) or an e-mail address."""
    if kind == "email":
        return "@" in text
    if kind == "phone":
        return any(not _YEARS.match(m.group(0).strip()) for m in _PHONE.finditer(text))
    if _URL.search(text):
        return True
    return kind == "site" and bool(rules(_script(text)).SITE_NAMED.search(text))


def _states_asked(text: str, question: Question) -> bool:
    """Whether ``text`` states what the question asks for: a figure of the thing it counts, or the
    contact it asks for; True when the question asks for neither."""
    if question.contact:
        return _has_contact(text, question.contact)
    return question.unit is None or _has_asked_figure(text, question.unit, question.lang)


def _has_reference(text: str, exclude: frozenset[str]) -> bool:
    """A document number ("215/2020/NQ-HĐND", "郴政办发〔2018〕18号") the question did not name."""
    return any(
        not any(x in normalize(m.group(0)) or normalize(m.group(0)) in x for x in exclude)
        for mod in (vi, zh)
        for m in mod.DOC_REFERENCE.finditer(text)
    )


def _fact_score(text: str, question: Question, listed: bool = False) -> float:
    """0..1: does the sentence hold the kind of fact asked for (a date, an agency, a figure, a list)?"""
    checks = []
    lang = _script(text)
    if question.type != "other":
        checks.append(bool(rules(lang).FACT_PATTERNS[question.type].search(text)))
    if question.contact:
        checks.append(_has_contact(text, question.contact))
    elif question.number:
        checks.append(_has_asked_figure(text, question.unit, question.lang))
    if question.list:
        checks.append(listed or bool(rules(lang).LIST_ANSWER.search(text)))
    if question.reference:
        checks.append(_has_reference(text, question.exclude))
    return sum(checks) / len(checks) if checks else 0.0


def _holds_fact(c: _Candidate, question: Question) -> float:
    """0..1: the kind of fact asked for: a date, figure, agency, list (_fact_score), or the field
    labelled for what is asked ("办理时限：15个工作日" for "要多久"), which holds it as surely."""
    labelled = bool(c.label and kinds_of_label(c.label) & question.asks)
    return max(_fact_score(c.body, question, bool(c.items)), float(labelled))


def _score(cands: list[_Candidate], hits: list[Hit], weights: _Weights, question: Question,
           documents: dict[str, Document], scorer: Scorer) -> None:
    """Every candidate's features (index/scorer.py CANDIDATE_FEATURES) and its score by the learned
    candidate model: its coverage of the question's words, alone and with the kind of fact asked
    for, its passage's rank, whether it is the field labelled for what is asked or the title."""
    top = hits[0].score if hits else 1.0
    best_of: dict[str, float] = {}
    for hit in hits:
        best_of[hit.chunk.doc_id] = max(best_of.get(hit.chunk.doc_id, 0.0), hit.score)
    local = weights.localized([f"{c.text}\n{c.heading}\n{c.section}" for c in cands])
    for c in cands:
        body = c.body
        labelled = bool(c.label and kinds_of_label(c.label) & question.asks)
        if labelled:
            # a field states a property of the procedure its page is titled by: "Thời hạn giải
            # quyết: 20 Ngày" answers "cấp lại giấy chứng nhận … mất bao lâu?" as fully as the title
            # covers it, so the title's words count as the field's own
            body = f"{body}\n{c.document}"
        around = f"{c.heading}\n{c.section}"
        c.coverage = weights.coverage(body, around, c.document)
        distinct = local.coverage(body, around, c.document)
        hit = hits[c.hit_index]
        # the field labelled for what is asked is as near the question as its record's best passage
        score = best_of[hit.chunk.doc_id] if labelled else hit.score
        prior = score / top if top else 0.0
        fact = _holds_fact(c, question)
        c.features = {
            "coverage": c.coverage,
            "distinct": distinct,
            "coverage_fact": c.coverage * fact,
            "distinct_fact": distinct * fact,
            "prior": prior,
            "label_match": float(labelled),
            "title": float(_restates(c.text, documents[hit.chunk.doc_id].meta.title)),
        }
        c.score = scorer.candidate.log_odds(c.features)


def _dense_score(hit: Hit) -> float:
    """The passage's cosine to the question, from dense search over all passages or over its language's."""
    return max((v for name, v in hit.scores.items() if name.split(":")[0] == "dense"), default=0.0)


def _restates(text: str, title: str) -> bool:
    """Whether ``text`` is the document's title, or holds it ("Tên thủ tục: <title>")."""
    a, b = _plain(text), _plain(title)
    return min(len(a), len(b)) >= MIN_TITLE_CHARS and (a in b or b in a)


def _trim(c: _Candidate, weights: _Weights, question: Question) -> str:
    """The quote: the sentence, or its best window of clauses when it is too long; a list whole."""
    if c.items:
        return _list_text(c)
    text = c.text
    # a list item completes its lead-in's sentence ("…thì bị phạt tù từ 07 năm đến 15 năm: a) Làm
    # chết 03 người trở lên"): the lead-in is quoted with it, however long
    short = len(c.heading) < HEADING_QUOTED_CHARS or bool(_LIST_ITEM.match(text))
    if c.heading and not text.startswith(c.heading) and short and len(text) + len(c.heading) < MAX_ANSWER_CHARS:
        text = f"{c.heading}{' ' if _ASKED.search(c.heading) else ': '}{text}"
    if len(text) <= MAX_ANSWER_CHARS:
        return text
    # the clause that covers the question best, grown by the clauses around it while it fits
    # (after it first: what a question's words lead up to tends to follow them) …
    clauses = split_clauses(c.text)
    joiner = _joiner(c.text)
    scores = [_clause_score(cl, weights, question) for cl in clauses]
    anchor = max(range(len(clauses)), key=lambda i: scores[i])
    lo, hi = _grown(clauses, anchor, joiner)
    window = joiner.join(clauses[lo : hi + 1])
    if len(window) > MAX_ANSWER_CHARS:
        window = clip(window, MAX_ANSWER_CHARS)
    # … unless that lacks the fact asked for and a run from an earlier clause holds it with the
    # anchor's start ("Trong thời hạn 30 ngày, | kể từ ngày hết thời hạn giải quyết khiếu nại …")
    fact = _fact_score(window, question)
    for start in reversed(range(lo)):  # the shortest such run
        run = clip(joiner.join(clauses[start:]), MAX_ANSWER_CHARS)
        if clauses[anchor][:ANCHOR_CHARS] in run and _fact_score(run, question) > fact:
            lo, window = start, run
            break
    return window if lo == 0 else "…" + window


def _clause_score(text: str, weights: _Weights, question: Question) -> float:
    """How well a clause (or run of them) covers the question, more when it holds the fact asked."""
    return weights.coverage(text) + CLAUSE_FACT_BONUS * _fact_score(text, question)


def _grown(clauses: list[str], anchor: int, joiner: str) -> tuple[int, int]:
    """The first and last clause of the run around ``anchor`` grown one clause at a time, after it
    first, while it fits in MAX_ANSWER_CHARS."""
    lo = hi = anchor
    while True:
        for nlo, nhi in ((lo, hi + 1), (lo - 1, hi)):
            if 0 <= nlo and nhi < len(clauses) and len(joiner.join(clauses[nlo : nhi + 1])) <= MAX_ANSWER_CHARS:
                lo, hi = nlo, nhi
                break
        else:
            return lo, hi


def citation(hit: Hit, meta: DocMeta, quote: str, year: int, also_in: tuple[DocRef, ...] = ()) -> Citation:
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
        also_in=also_in,
    )


def copies_named(hit: Hit, documents: dict[str, Document], clause: tuple[str, ...]) -> tuple[DocRef, ...]:
    """The other documents whose copy of the hit's passage holds the quoted ``clause`` word for
    word: a near-duplicate passage of a plan written from the same template may differ in just the
    date or amount quoted, and that plan does not carry the same rule."""
    wanted = [_plain(part) for part in clause]
    return tuple(
        DocRef(c.doc_id, documents[c.doc_id].meta.title, documents[c.doc_id].meta.number)
        for c in hit.also
        if c.doc_id in documents and all(part in _plain(c.text) for part in wanted)
    )


def _plain(text: str) -> str:
    return " ".join(normalize(text).split())


def confidence(weights: _Weights, best: _Candidate, question: Question) -> float:
    """How sure we are that the best sentence answers the question at all (0..1).

    The share of the question's weight that the sentence (with its heading, section and document
    title) covers, discounted when the question's rarest words are missing from it, and when it
    lacks the kind of fact asked for (no figure for "how much", no date for "by when"). On the dev
    set this separates the questions the documents answer from those they cannot far better than
    the embedding cosine does.
    """
    body = best.body
    key = weights.key_coverage(body, f"{best.heading}\n{best.section}\n{best.document}")
    fact = _holds_fact(best, question) if (question.type != "other" or question.any) else 1.0
    return best.coverage * (1 - KEY_DISCOUNT * (1 - key)) * (1 - FACT_DISCOUNT * (1 - fact))


def answer(
    query: Query,
    hits: list[Hit],
    *,
    lexical: LexicalIndex,
    documents: dict[str, Document],
    year: int,
    min_confidence: float | None = None,
    scorer: Scorer | None = None,
    reader: Reader | None = None,
) -> Answer:
    """Pick the clause that answers ``query`` from ``hits``, or say that nothing was found: when
    the evidence model's probability that the documents answer is below ``min_confidence`` (None:
    the threshold learned with the weights, index/scorer.json). With ``reader`` (index/reader.py)
    the first candidates are also read together with the question."""
    scorer = scorer or default_scorer()
    threshold = scorer.threshold if min_confidence is None else min_confidence
    question = query.question
    lang_rules = rules(query.lang)
    weights = _Weights(query, lexical)
    if hits and (about := doc_question(query.text)):
        # the words of asking when ("发布", "ban hành") are no words of the title to look for
        asking = set(tokenize(about[1]))
        title_words = _Weights(replace(query, tokens=tuple(t for t in query.tokens if t not in asking)), lexical)
        if found := _from_header(about[0], title_words, hits, documents, year):
            quote, hit = found
            cite = citation(hit, documents[hit.chunk.doc_id].meta, quote, year)
            if quote not in hit.chunk.text:  # a line of the header or signature: no section of the cited passage
                cite = replace(cite, section="", chunk_id=None)
            return Answer(query.text, query.lang, question.type, True, quote, [cite], hits)
    reading = _reading(query, hits, documents, question, weights, scorer, reader)
    best, evidence = select(query, reading, documents)
    p = max((scorer.evidence.probability(e) for e in evidence), default=0.0)
    if best is None or p < threshold:
        return Answer(query.text, query.lang, question.type, False, lang_rules.NOT_FOUND, [], hits, evidence=p)
    quote = _trim(best, weights, question)
    best_hit = reading.read[best.hit_index]
    # the quoted passage may be republished verbatim in other plans: the citation names them too
    meta = documents[best_hit.chunk.doc_id].meta
    citations = [citation(best_hit, meta, quote, year, copies_named(best_hit, documents, (best.text, *best.items)))]
    return Answer(query.text, query.lang, question.type, True, quote, citations, hits, evidence=p)


def candidates(query: Query, hits: list[Hit], lexical: LexicalIndex, documents: dict[str, Document], *,
               scorer: Scorer | None = None, reader: Reader | None = None) -> Reading:
    """The question as the answer stage reads it, with every candidate, its features and score
    (eval/train_scorer.py learns from these)."""
    return _reading(query, hits, documents, query.question, _Weights(query, lexical),
                    scorer or default_scorer(), reader)


def _reading(query: Query, hits: list[Hit], documents: dict[str, Document], question: Question,
             weights: _Weights, scorer: Scorer, reader: Reader | None) -> Reading:
    read = hits[:PASSAGES_READ]
    cands = _candidates(read, documents, lists=question.list)
    _score(cands, read, weights, question, documents, scorer)
    if reader is not None and scorer.rerank is not None and cands:
        _reread(query, cands, read, documents, reader, scorer)
    return Reading(question, weights, read, cands)


def shortlist(query: Query, cands: list[_Candidate], hits: list[Hit], documents: dict[str, Document],
              reader: Reader) -> list[_Candidate]:
    """What the reader reads: the candidates the word features rank first, and the best of those
    from documents in another language than the question's, which its words cannot reach."""
    ranked = sorted(cands, key=lambda c: -c.score)
    first = ranked[: reader.candidates]
    other = [c for c in ranked[reader.candidates :]
             if documents[hits[c.hit_index].chunk.doc_id].meta.lang != query.lang][: reader.other_language]
    return first + other


def _reread(query: Query, cands: list[_Candidate], hits: list[Hit], documents: dict[str, Document],
            reader: Reader, scorer: Scorer) -> None:
    """Each candidate's score by the rerank model: the candidate model's score with the reader's.
    A candidate the reader did not read counts as read no better than the worst one it did."""
    assert scorer.rerank is not None
    short = shortlist(query, cands, hits, documents, reader)
    scores = reader.score(query.text, [c.reading for c in short])
    read = {id(c): float(s) for c, s in zip(short, scores)}
    floor = min(read.values())
    for c in cands:
        c.features["lexical"] = c.score
        c.features["reader"] = read.get(id(c), floor)
        c.score = scorer.rerank.log_odds(c.features)


@dataclass
class Reading:
    """What ``candidates`` returns: the question read, its word weights, the passages read
    (candidates' ``hit_index`` points into them) and the candidates."""

    question: Question
    weights: _Weights
    read: list[Hit]
    cands: list[_Candidate]


def select(query: Query, reading: Reading, documents) -> tuple[_Candidate | None, list[dict]]:
    """The best of a reading's scored candidates, and the evidence features the scorer weighs: of
    the best and, when the reader re-ranked them, of the word features' first too. The documents
    answer when either is convincing: the reader's choice may share fewer words with the question
    than the word features' (it is chosen for what it says), so its own evidence reads weaker."""
    hits, weights, question, cands = reading.read, reading.weights, reading.question, reading.cands
    # a plan that never names the place asked about is about somewhere else (the evidence model
    # declines its sentences): quote it only when no plan among the passages names that place
    if weights.place_forms:
        named = {h.chunk.doc_id for h in hits
                 if names_places(documents[h.chunk.doc_id], weights.place_forms)}
        cands = [c for c in cands if hits[c.hit_index].chunk.doc_id in named] or cands
    best = max(cands, key=lambda c: c.score, default=None)
    if best is None:
        return None, []
    firsts = [best]
    if "lexical" in best.features:
        words_first = max(cands, key=lambda c: c.features["lexical"])
        firsts += [words_first] if words_first is not best else []
    firsts = [_completed(c, question) for c in firsts]
    return firsts[0], [features(query, hits, weights, c, question, documents) for c in firsts]


def _completed(best: _Candidate, question: Question) -> _Candidate:
    """"… hỗ trợ hộ nghèo. Mức hỗ trợ 2 triệu đồng/hộ.": the next sentence states the figure asked for."""
    if best.after and not _states_asked(best.body, question) and _states_asked(best.after, question):
        return replace(best, text=f"{best.text}{_joiner(best.text)}{best.after}", after="")
    return best


def features(query: Query, hits: list[Hit], weights: _Weights, best: _Candidate, question: Question,
             documents) -> dict[str, float]:
    """What the evidence model weighs for the chosen candidate (index/scorer.py EVIDENCE_FEATURES)."""
    body = best.body
    around = f"{best.heading}\n{best.section}\n{best.document}"
    document = documents[hits[best.hit_index].chunk.doc_id]
    meta = document.meta
    figures, years = question.figures, question.years
    where = f"{body}\n{around}\n{meta.period or ''}\n{meta.date or ''}"
    # a year written short ("22年", "năm 22") is the same year as "2022"
    missing = [f for f in figures if not any(
        re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)", where)
        for form in ((f, f"20{f}") if f in question.short_years else (f,)))]
    text_is_zh = bool(zh.CJK_RUN.search(best.text))
    # index/abstain.py's hand-set score reads some of these; the evidence model reads it ("rule") and others
    out = {
        "missing_figures": len(missing) / len(figures) if figures else 0.0,
        # a year the question names that the passage lacks says another period's plan; its other
        # figures often describe the asker ("bố tôi 70 tuổi"), not what is asked
        "missing_years": len(years & set(missing)) / len(years) if years else 0.0,
        "other_script": float(text_is_zh != (query.lang == "zh")),
        "asked_missing": float(not _states_asked(f"{body}\n{best.heading}", question)),
        "other_place": float(not names_places(document, weights.place_forms)),
        "dense_top": max((_dense_score(h) for h in hits), default=0.0),
        "confidence": confidence(weights, best, question),
        "label_match": best.features.get("label_match", 0.0),
    }
    out["rule"] = abstain.evidence_score(out)
    return out


def names_places(document: Document, places: list[tuple[str, ...]]) -> bool:
    """Whether the document names every one of ``places`` in one of its forms (Vietnamese compared
    without marks: "Thanh Hoá" and "Thanh Hóa" are one place)."""
    folded = _folded_text(document.text, document.meta.title, document.meta.issuer or "")
    return all(any(vi.fold(form).lower() in folded for form in forms) for forms in places)


@lru_cache(maxsize=64)
def _folded_text(*parts: str) -> str:
    return vi.fold("\n".join(parts)).lower()


# --- questions about the document itself -------------------------------------------------------
HEADER_LINES = 30  # a document's number, date and issuer are stated in its first lines …
SIGNATURE_LINES = 12  # … or, in a Chinese text, its date and issuer under it
MIN_HEADER_COVERAGE = 0.5  # the document's title must cover this much of such a question


def doc_question(question: str) -> tuple[str, str] | None:
    """("date", "number" or "issuer", the words that ask it) when the question asks when / under
    which number / by whom the document was issued; None otherwise."""
    is_zh = bool(zh.CJK_RUN.search(question))
    text = question if is_zh else vi.padded(question)
    for kind, pattern in (zh if is_zh else vi).DOC_QUESTIONS.items():
        if m := pattern.search(text):
            return kind, m.groupdict().get("ask") or m.group()
    return None


def _from_header(about: str, weights: _Weights, hits: list[Hit], documents: dict[str, Document], year: int):
    """(the header or signature line stating the document's date, number or issuer, the hit to
    cite) for the document among the top passages whose title best matches the question; None when
    none does."""
    best = None
    for hit in hits[:PASSAGES_READ]:
        doc = documents[hit.chunk.doc_id]
        cover = weights.coverage(f"{document_head(doc.meta)}\n{doc.meta.number or ''}\n{doc.meta.place or ''}")
        if best is None or cover > best[0] + 1e-9:
            best = (cover, hit, doc)
    if best is None or best[0] < MIN_HEADER_COVERAGE:
        return None
    _cover, hit, doc = best
    all_lines = doc.text.splitlines()  # only the chosen document's: the header and the signature under it
    lines = [s for line in all_lines[:HEADER_LINES] + all_lines[HEADER_LINES:][-SIGNATURE_LINES:] if (s := line.strip())]
    meta = doc.meta
    wanted = {"date": meta.date, "number": meta.number, "issuer": meta.issuer}[about]
    if not wanted:
        return None
    for line in lines:
        if _states(line, about, wanted, meta):
            return line[:MAX_ANSWER_CHARS], hit
    return None


def _states(line: str, about: str, value: str, meta: DocMeta) -> bool:
    if about == "date":
        y, m, d = (int(x) for x in value.split("-"))
        return any(int(g[0]) == y and int(g[1]) == m and int(g[2]) == d
                   for g in re.findall(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})", line)) or any(
            int(g[2]) == y and int(g[1]) == m and int(g[0]) == d
            for g in re.findall(r"(\d{1,2})\D{1,8}?(\d{1,2})\D{1,8}?(\d{4})", line))
    if about == "number":
        return re.sub(r"\s+", "", value) in re.sub(r"\s+", "", line)
    # the issuer: its header line ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "郴州市人民政府办公室")
    return normalize(value) in normalize(line) or bool(meta.place and normalize(meta.place) in normalize(line)
                                                       and len(line) < 80 and not re.search(r"\d", line))

"""Deadline and responsibility questions answered from the extracted facts.

``Engine.ask`` first picks a clause the usual way (index/answer.py), then hands the answer here.
For a question of type ``responsibility`` or ``deadline`` the facts of the top passages'
documents are consulted:

- a responsibility question that names an agency ("Sở Y tế có trách nhiệm gì …", "市民政局负责…")
  gets that agency's complete list of duties in the best-ranked document that has any, the one
  most relevant to the question first;
- otherwise the facts whose quote, section and agency cover the question best are taken, when
  they cover it at least as well as the clause already picked (so a good answer is never replaced
  by a worse one), with the other facts that match nearly as well.

The reply's ``text`` stays under 400 characters (the most relevant item first); the complete list
is in ``citations``, one per fact, each with its document, section and quote, and the note that
the plan's period is over when it is.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import replace
from functools import lru_cache

from ..answer import names_places
from ..lang import rules, vi
from ..sentences import clip
from ..tokenize import tokenize
from ..types import Answer, Citation, DocMeta, Document, Hit
from .agencies import find_agencies, matches
from .model import Agency, Deadline, Fact, Responsibility
from .query import FactsUnavailable, open_store

log = logging.getLogger(__name__)

MAX_TEXT = 400
DOCS_READ = 5  # facts are drawn from the documents of this many top passages
MIN_COVERAGE = 0.5  # without a named agency, the best fact must cover this much of the question
NEAR_BEST = 0.8  # other facts listed with the best one must cover this share of its coverage
MAX_LISTED = 12
SECONDARY_CHARS = 120  # items after the first are shortened in ``text`` (whole in the citations)


def answer_with_facts(
    base: Answer,
    query_tokens: list[str] | tuple[str, ...],
    hits: list[Hit],
    *,
    stored,
    idf,
    documents: dict[str, Document],
    year: int,
    places: list[tuple[str, ...]] = (),
) -> Answer:
    """``base``, or an answer built from facts when they answer the question well (see above).

    ``places``: the places the question names (index/lang/glossary.py); a plan that never names
    one of them is about somewhere else and gives no facts."""
    if base.qtype not in ("deadline", "responsibility") or not hits:
        return base
    try:
        store = open_store(stored)
    except (FactsUnavailable, OSError, sqlite3.Error, ValueError, TypeError):
        return base
    try:
        return _answer(base, list(query_tokens), hits, store, idf, documents, year, places) or base
    except Exception:  # noqa: BLE001 - the facts are an improvement, never a reason to fail
        log.exception("answering from facts failed; keeping the passage answer")
        return base


def _answer(base: Answer, q_tokens, hits, store, idf, documents, year, places=()) -> Answer | None:
    doc_order = [d for d in dict.fromkeys(h.chunk.doc_id for h in hits[:DOCS_READ])
                 if d not in documents or names_places(documents[d], places)]
    weights = {t: idf(t) for t in dict.fromkeys(q_tokens) if "_" not in t}
    if not weights:
        return None
    top = max(weights.values()) or 1.0
    weights = {t: w or top for t, w in weights.items()}  # a word no document has weighs the most
    # "Ai thành lập Hội đồng …?", "…由哪个部门负责": an agency the question names is not the one whose
    # duties answer it
    named = [] if _asks_who(base) else [m.agency for m in find_agencies(base.question)]
    # words that only say which plan ("Kon Tum", "truy xuất nguồn gốc" in its title) do not tell
    # one fact of it from another: they are left out when facts are ranked
    titles = {t for d in doc_order if d in documents for t in _tokens(f"{documents[d].meta.title} {documents[d].meta.place or ''}")}

    if base.qtype == "responsibility" and named:
        for doc_id in doc_order:
            duties = store.facts("responsibility", {doc_id})
            own = [f for f in duties if any(matches(a, f.payload.agency) for a in named)]
            if not own:
                continue
            # and where another agency leads with it ("Chủ trì, phối hợp với … Sở Y tế …")
            partnered = [f for f in duties if f not in own and f.payload.role == "lead"
                         and any(matches(a, p) for a in named for p in f.payload.partners)]
            agency_words = titles | {t for a in named for t in _tokens(f"{a.mention} {a.name}")}
            ranked = _rank(own, weights, agency_words, documents) + _rank(partnered, weights, agency_words, documents)
            # an agency named only as context ("Ai gửi hồ sơ về Sở …?"): another's duty fits far
            # better. Words that ask for a duty ("có nhiệm vụ gì", "负责什么") fit every duty and
            # decide nothing here ("vụ" of "Sở Nội vụ" still names the agency)
            asking = {t for w in rules(base.lang).FACT_DUTY_WORDS for t in _tokens(w)} - agency_words
            topic = titles | asking
            others = _rank([f for f in duties if f not in own], weights, topic, documents)
            if not (others and others[0][0] >= MIN_COVERAGE and others[0][0] > _rank(own, weights, topic, documents)[0][0] + 0.3):
                return _reply(base, [f for _, f in ranked], store, documents, year, named)
            break

    kind = base.qtype
    candidates = [f for d in doc_order for f in store.facts(kind, {d})]
    if not candidates:
        return None
    ranked = _rank(candidates, weights, titles, documents)  # titles: on both sides of the comparison
    best_score, best = ranked[0]
    base_text = base.text + " " + " ".join(c.section for c in base.citations[:1])
    base_score = _coverage(_tokens(base_text), weights, titles) if base.found else 0.0
    agrees = base.found and any(_same_clause(base.text, f.quote) for _, f in ranked[:3])
    # the facts replace the clause only when they cover the question at least as well: a fact cut
    # from the clause's own sentence may leave out what was asked ("…由副镇长为站长…" → its last part)
    if best_score < base_score or (not agrees and best_score < MIN_COVERAGE):
        return None
    chosen = [f for s, f in ranked if s >= NEAR_BEST * best_score][:MAX_LISTED]
    # the clause picked the usual way (by coverage, heading, kind of fact and rank) leads the list
    # when it is one of the facts listed
    chosen.sort(key=lambda f: not (base.found and _same_clause(base.text, f.quote)))
    return _reply(base, chosen, store, documents, year, [])


def _asks_who(base: Answer) -> bool:
    """Whether the question asks who does something ("Ai …", "… do ai …", "谁…", "由哪个部门…")."""
    lang_rules = rules(base.lang)
    text = base.question if base.lang == "zh" else vi.padded(base.question)
    return bool(lang_rules.FACT_ASKS_WHO.search(text))


def _same_clause(text: str, quote: str) -> bool:
    """The answer text and a fact's quote are (parts of) the same clause."""
    return text.strip("…").strip()[:60] in quote or quote[:60] in text


@lru_cache(maxsize=4096)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(t for t in tokenize(text) if "_" not in t)


def _fact_text(f: Fact, documents: dict[str, Document]) -> str:
    p = f.payload
    parts = [f.quote, f.section]
    if isinstance(p, Responsibility):
        parts += [p.agency.name, p.agency.mention, p.context]
    elif isinstance(p, Deadline):
        parts += [p.what, p.when.text, p.agency.name if p.agency else ""]
    return " ".join(x for x in parts if x)


def _coverage(tokens: frozenset[str], weights: dict[str, float], skip: set[str]) -> float:
    total = sum(w for t, w in weights.items() if t not in skip)
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if t not in skip and t in tokens) / total


def _rank(facts: list[Fact], weights, skip: set[str], documents) -> list[tuple[float, Fact]]:
    scored = [(_coverage(_tokens(_fact_text(f, documents)), weights, skip), f) for f in facts]
    return sorted(scored, key=lambda x: (-x[0], x[1].start))


def _reply(base: Answer, facts: list[Fact], store, documents, year: int, named: list[Agency]) -> Answer:
    labels = rules(base.lang).FACT_LABELS
    grouped: dict[tuple[str, str], list[str]] = {}  # (quote, label) → agencies: one line per shared duty
    for f in facts:
        p = f.payload
        if isinstance(p, Responsibility):
            if named and not any(matches(a, p.agency) for a in named):
                grouped.setdefault((f.quote, labels["via"].format(agency=p.agency.label)), [])
                continue
            agencies = grouped.setdefault((f.quote, labels[p.role]), [])
            name = p.agency.mention if p.agency.mention and p.agency.mention in f.quote else p.agency.label
            if not named and name not in agencies:
                agencies.append(name)
                agencies.sort(key=lambda n, q=f.quote: (q.find(n) if n in q else len(q)))
        else:
            grouped.setdefault((f.quote, ""), [])
    # a named agency's duties under a heading per role ("Chủ trì/thực hiện:", "Phối hợp; Sở X chủ
    # trì:"); otherwise each duty says who, in what role: "Sở Y tế (phối hợp): …"
    groups: dict[str, list[str]] = {}
    for (quote, label), agencies in grouped.items():
        if named:
            key, item = label, quote
        else:
            key, item = "", (f"{', '.join(agencies)}" + (f" ({label})" if label else "") + ": " if agencies else "") + quote
        if item not in groups.setdefault(key, []):
            groups[key].append(item)
    total = sum(len(items) for items in groups.values())
    lines = []
    if named:
        agency = ", ".join(dict.fromkeys(a.label if a.level else _display(a, facts) for a in named))
        lines.append(labels["duties"].format(agency=agency, n=total))
    L = rules(base.lang)
    headings = {labels["lead"]: labels["lead_heading"], labels["support"]: labels["support_heading"]}
    shown, full = 0, False
    for label, items in groups.items():
        heading = [headings.get(label, label[:1].upper() + label[1:]) + L.COLON.rstrip()] if label else []
        for item in items:
            line = ("- " if named or total > 1 else "") + (clip(item, SECONDARY_CHARS) if shown else item)
            more = labels["more"].format(n=total - shown - 1) if shown + 1 < total else ""
            if shown and len("\n".join([*lines, *heading, line, more])) > MAX_TEXT:
                full = True
                break
            lines += [*heading, line]
            heading, shown = [], shown + 1
        if full:
            break
    if shown < total:
        lines.append(labels["more"].format(n=total - shown))
    text = clip("\n".join(lines), MAX_TEXT)
    citations = [_citation(f, documents, store, year) for f in facts]
    citations = list({(c.doc_id, c.quote): c for c in citations}.values())
    return replace(base, found=True, text=text, citations=citations)


def _display(a: Agency, facts: list[Fact]) -> str:
    for f in facts:
        if isinstance(f.payload, Responsibility) and f.payload.agency.id == a.id:
            return f.payload.agency.label
    return a.name


def _citation(f: Fact, documents: dict[str, Document], store, year: int) -> Citation:
    doc = documents.get(f.doc_id)
    meta: DocMeta = doc.meta if doc else store.meta_of(f.doc_id)
    ended = meta.period if meta.period and meta.period_end and meta.period_end < year else None
    return Citation(doc_id=f.doc_id, title=meta.title, number=meta.number, date=meta.date, section=f.section,
                    quote=f.quote, period_ended=ended)

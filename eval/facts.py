"""Facts evaluation: the extractor (index/facts/) against the hand-checked gold file.

    policyqa eval --facts [--gold eval/facts_gold.jsonl] [--out DIR]

writes DIR/facts_report.md (a table per fact type and language), DIR/facts_metrics.json and
DIR/facts_errors.jsonl (every missed gold fact and every extracted fact that matched none).

Gold file (eval/facts_gold.jsonl), one fact a line::

    {"id": "001-r20", "doc": "001_3219cb14693d0162.txt", "lang": "vi", "type": "responsibility",
     "quote": "chịu trách nhiệm về kết quả giám sát tiêu chí 8,9,10", "agency": "so-y-te", "role": "lead"}

``quote`` is a verbatim substring of the document's cleaned text (``Document.text``); when it
occurs more than once, ``occurrence`` (1-based) says which. Normalized fields by type:
responsibility ``agency`` (canonical id, index/facts/agencies.py) and ``role`` (lead/support);
deadline ``date`` (ISO), ``rrule`` (yearly), ``start``/``end`` (a period) or ``relative``
("10个工作日内"); eligibility ``kind`` (who/condition/papers; ``papers``: how many, ``threshold``);
amount ``value``, ``unit`` (as written after the number) and ``kind`` (money/percent/rate/count).

Matching. An extracted fact matches a gold fact when they have the same document and type, their
quotes overlap in the document by at least half of the shorter one (so a quote cut a little
longer or shorter still matches), and their key value is equal: agency id and role; the date,
period or yearly rule; the eligibility kind; the amount's value and unit. Each extracted fact
matches at most one gold fact and the other way round (greedy, largest overlap first). Precision
= matched extracted / extracted, recall = matched gold / gold, per type and language, over the
documents the gold file covers.

Annotation guideline (what the gold file holds; the extractor's docstring implements the same):

- responsibility: the duties under an agency heading ("7. Sở Y tế:") and under the issuer's duty
  heading ("部门职能职责"), one per clause (cut at ";"/"；" — not where ";" only continues an
  enumeration — and before a second role: "… và chịu trách nhiệm về …"); clauses where a named
  agency carries a role cue, is assigned a task ("Giao …", "UBND tỉnh yêu cầu …"), does it ("do … thực
  hiện", "由…承担"), is the subject of a duty verb ("…要/应…"), or heads a numbered line of an
  implementation part. Generic references ("các cơ quan liên quan", "有关部门") are not agencies. Role:
  a cue at the clause's start (lead: chủ trì, đầu mối, chịu trách nhiệm, 牵头, 负责 …; support: phối
  hợp, tham gia, 配合 …), else that of the list's lead-in ("g) Phối hợp với …:"), else lead.
- deadline: yearly dates, and dates or periods with a deadline cue (trước ngày, chậm nhất, Thời gian
  thực hiện, vào Quý …; 预计, 争取, …前, a completion verb), and time limits ("10个工作日内"). Not:
  dates of other documents, past events, target years ("đến năm 2020", "到2020年").
- eligibility: target-group lists ("Đối tượng …"), beneficiaries ("为…困难…提供"), conditions and
  exemptions ("nếu đạt từ …", "凡…的", "符合…条件的", "对…的…免征", "…的，不需…"), papers lists.
- amount: money and percentages in prose; counts only as targets or rates. Not table rows.

The gold file was annotated by the engineer who wrote the extractor, on the same five documents:
the figures are in-sample. The test in tests/eval/test_facts_gold.py checks every quote against
the cleaned text and the raw file, and that every field is well formed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from index.config import Settings
from index.facts.extract import extract_document
from index.facts.model import FACT_TYPES, Fact
from index.ingest import IngestError, iter_corpus
from index.types import Document

DEFAULT_GOLD = Path(__file__).resolve().parent / "facts_gold.jsonl"
LANGS = ("vi", "zh")
TARGET_PRECISION, TARGET_RECALL = 0.90, 0.80


def load_gold(path: Path = DEFAULT_GOLD) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_span(text: str, quote: str, occurrence: int = 1) -> tuple[int, int] | None:
    """Offsets of the ``occurrence``-th ``quote`` in ``text``, None when it is not there."""
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(quote)


def gold_key(rec: dict) -> str:
    """The value a gold fact is matched on; the same string as ``Fact.key`` for a right fact."""
    kind = rec["type"]
    if kind == "responsibility":
        return f"{rec['agency']}|{rec['role']}"
    if kind == "deadline":
        if rec.get("rrule"):
            return rec["rrule"]
        if rec.get("start"):
            return f"{rec['start']}..{rec['end']}"
        if rec.get("relative"):
            return f"relative:{rec['relative']}"
        return rec["date"]
    if kind == "eligibility":
        return rec["kind"]
    return f"{float(rec['value']):.12g}|{rec['unit']}"


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


@dataclass
class Match:
    gold: list[dict]
    facts: list[Fact]
    pairs: list[tuple[int, int]]  # (gold index, fact index)


def match(gold: list[dict], facts: list[Fact], texts: dict[str, str]) -> Match:
    """One-to-one matching of extracted facts to gold facts (see the module docstring)."""
    spans = [gold_span(texts.get(g["doc"], ""), g["quote"], g.get("occurrence", 1)) for g in gold]
    keys = [gold_key(g) for g in gold]
    candidates = []
    for gi, g in enumerate(gold):
        if spans[gi] is None:
            continue
        for fi, f in enumerate(facts):
            if f.doc_id == g["doc"] and f.type == g["type"] and f.key == keys[gi]:
                ov = _overlap(spans[gi], (f.start, f.end))
                if ov >= 0.5:
                    candidates.append((ov, gi, fi))
    used_g, used_f, pairs = set(), set(), []
    for ov, gi, fi in sorted(candidates, key=lambda c: -c[0]):
        if gi not in used_g and fi not in used_f:
            used_g.add(gi)
            used_f.add(fi)
            pairs.append((gi, fi))
    return Match(gold, facts, pairs)


def score(m: Match) -> dict:
    """Counts, precision and recall per (type, language), per language, per type and overall."""
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"gold": 0, "extracted": 0, "matched": 0})
    for g in m.gold:
        cells[(g["type"], g["lang"])]["gold"] += 1
    for f in m.facts:
        cells[(f.type, f.lang)]["extracted"] += 1
    for gi, _ in m.pairs:
        g = m.gold[gi]
        cells[(g["type"], g["lang"])]["matched"] += 1

    def rates(c: dict[str, int]) -> dict:
        p = c["matched"] / c["extracted"] if c["extracted"] else None
        r = c["matched"] / c["gold"] if c["gold"] else None
        return {**c, "precision": _round(p), "recall": _round(r)}

    def total(keys) -> dict[str, int]:
        out = {"gold": 0, "extracted": 0, "matched": 0}
        for k in keys:
            for field in out:
                out[field] += cells[k][field]
        return out

    all_keys = [(t, lang) for t in FACT_TYPES for lang in LANGS]
    return {
        "cells": {f"{t}/{lang}": rates(cells[(t, lang)]) for t, lang in all_keys},
        "by_lang": {lang: rates(total([(t, lang) for t in FACT_TYPES])) for lang in LANGS},
        "by_type": {t: rates(total([(t, lang) for lang in LANGS])) for t in FACT_TYPES},
        "overall": rates(total(all_keys)),
        "targets": {"precision": TARGET_PRECISION, "recall": TARGET_RECALL},
    }


def _round(x: float | None) -> float | None:
    return round(x, 4) if x is not None else None


def errors(m: Match) -> list[dict]:
    """Missed gold facts and unmatched extracted facts, for reading the report's misses."""
    matched_g = {gi for gi, _ in m.pairs}
    matched_f = {fi for _, fi in m.pairs}
    out = [{"error": "missed", **g} for gi, g in enumerate(m.gold) if gi not in matched_g]
    for fi, f in enumerate(m.facts):
        if fi not in matched_f:
            out.append({"error": "spurious", "doc": f.doc_id, "lang": f.lang, "type": f.type, "key": f.key,
                        "line": f.line, "quote": f.quote, "section": f.section})
    return out


def extract_corpus(settings: Settings, doc_ids: set[str] | None = None) -> tuple[list[Fact], dict[str, Document]]:
    """Facts of every readable document of the corpus (or of ``doc_ids`` only)."""
    facts: list[Fact] = []
    docs: dict[str, Document] = {}
    for _path, result in iter_corpus(settings.corpus_dir, settings):
        if isinstance(result, IngestError) or (doc_ids is not None and result.doc_id not in doc_ids):
            continue
        docs[result.doc_id] = result
        facts.extend(extract_document(result))
    return facts, docs


def evaluate_facts(settings: Settings, gold_path: Path = DEFAULT_GOLD, out: Path | None = None) -> dict:
    """Extract from the corpus, match against the gold file, write the report; returns the metrics."""
    gold = load_gold(gold_path)
    facts, docs = extract_corpus(settings, {g["doc"] for g in gold})
    m = match(gold, facts, {d: doc.text for d, doc in docs.items()})
    metrics = {"gold_file": str(gold_path), "documents": sorted(docs), **score(m)}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "facts_metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1), "utf-8")
        with open(out / "facts_errors.jsonl", "w", encoding="utf-8") as f:
            for e in errors(m):
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
        (out / "facts_report.md").write_text(report_markdown(metrics), "utf-8")
    return metrics


def report_markdown(metrics: dict) -> str:
    """The table the issue asks for: precision and recall per fact type and language."""

    def fmt(x):
        return "—" if x is None else f"{x:.3f}"

    def flag(c):
        p, r = c["precision"], c["recall"]
        if p is None or r is None:
            return ""
        return "" if p >= TARGET_PRECISION and r >= TARGET_RECALL else " ⚠"

    lines = [
        "# Facts extraction: precision and recall",
        "",
        f"Gold: `{metrics['gold_file']}` · documents: {len(metrics['documents'])} · "
        f"targets: precision ≥ {TARGET_PRECISION:.2f}, recall ≥ {TARGET_RECALL:.2f} (⚠ = below a target)",
        "",
        "| type | lang | gold | extracted | matched | precision | recall |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, c in metrics["cells"].items():
        t, lang = name.split("/")
        lines.append(f"| {t} | {lang} | {c['gold']} | {c['extracted']} | {c['matched']} | {fmt(c['precision'])} | {fmt(c['recall'])}{flag(c)} |")
    for lang, c in metrics["by_lang"].items():
        lines.append(f"| **all** | {lang} | {c['gold']} | {c['extracted']} | {c['matched']} | {fmt(c['precision'])} | {fmt(c['recall'])}{flag(c)} |")
    c = metrics["overall"]
    lines.append(f"| **all** | **all** | {c['gold']} | {c['extracted']} | {c['matched']} | **{fmt(c['precision'])}** | **{fmt(c['recall'])}** |")
    lines += ["", "Misses and spurious facts: `facts_errors.jsonl` (matching rules: eval/facts.py)."]
    return "\n".join(lines) + "\n"

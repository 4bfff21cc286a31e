"""Labelled fields: "Label: value" lines of procedure pages and records, and what a question asks for.

A record states one field a line ("Thời hạn giải quyết: 15 Ngày làm việc", "办理时限：15个工作日"),
sometimes several on one line after "; ". A line opens a field when it starts with a short label
(each language's FIELD_LABEL) and the document is a record: labelled lines recur in it. What a
label says its field holds (a deadline, a fee, the papers, the agency, …) comes from each language's
FIELD_KINDS; what a question asks for from its ASKS cues. The answer stage prefers a field of the
kind asked for (index/answer.py); chunking makes each field an addressable unit (index/chunking.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lang import rules, zh
from .lang import vi
from .tokenize import normalize

# a question of the first kind is not asking for the second, though its cues say both: how long a
# permit stays valid ("有效期是多长时间") is no processing time
SUPERSEDES = {"validity": frozenset({"deadline"})}
MIN_RECORD_FIELDS = 4  # labelled lines that make a document a record …
MIN_RECORD_SHARE = 0.3  # … and their share of its lines
_NEXT_FIELD = re.compile(r"[;；]\s*")


def _script(text: str) -> str:
    return "zh" if zh.CJK_RUN.search(text[:40]) else "vi"


def label_of(line: str) -> str | None:
    """The label a line opens with ("Thời hạn giải quyết"), or None."""
    lang = rules(_script(line))
    m = lang.FIELD_LABEL.match(line.strip())
    if not m:
        return None
    label = m.group("label").strip()
    return label if len(label.split()) <= lang.MAX_LABEL_WORDS else None


def states_nothing(line: str) -> bool:
    """Whether a labelled line's value only says the page has no information ("Cơ quan phối hợp:
    Không có thông tin"): each language's NO_INFORMATION."""
    lang = rules(_script(line))
    m = lang.FIELD_LABEL.match(line.strip())
    return bool(m) and bool(lang.NO_INFORMATION.fullmatch(line.strip()[m.end():].rstrip(" .。;；")))


def field_title(line: str) -> str | None:
    """What names a labelled line in a section path: its label, or the labels of all its fields."""
    labels = [label for part in split_fields(line) if (label := label_of(part))]
    return "; ".join(labels) if labels else None


def is_record(lines: list[str]) -> bool:
    """Whether a document's lines are a record: labelled lines recur, with several labels."""
    labels = [label for line in lines if (label := label_of(line))]
    return len(labels) >= MIN_RECORD_FIELDS and len(set(labels)) >= 3 and len(labels) >= MIN_RECORD_SHARE * len(lines)


@lru_cache(maxsize=4096)
def is_record_text(text: str) -> bool:
    """``is_record`` over a document's text (cached: asked of the top documents for every question)."""
    return is_record([line.strip() for line in text.splitlines() if line.strip()])


def split_fields(line: str) -> list[str]:
    """A line of several fields ("Hình thức nộp: Trực tiếp; Thời hạn giải quyết: 30 Ngày") cut into
    one text per field; a line of one field (or none) as it is."""
    parts = _NEXT_FIELD.split(line)
    if len(parts) < 2 or not label_of(parts[0]):
        return [line]
    fields = [parts[0]]
    for part in parts[1:]:
        if label_of(part):
            fields.append(part)
        else:  # a ";" inside a value
            fields[-1] = f"{fields[-1]}; {part}"
    return fields


@lru_cache(maxsize=4096)
def kinds_of_label(label: str) -> frozenset[str]:
    """What a label says its field holds: {"deadline"} for "Thời hạn giải quyết", "办理时限"."""
    script = _script(label)
    text = label if script == "zh" else vi.padded(label)
    return frozenset(kind for kind, words in rules(script).FIELD_KINDS.items()
                     if any((w in text) if script == "zh" else (f" {w} " in text) for w in words))


def matched_cues(question: str, table: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[str, bool]]]:
    """The cues of each kind in ``table`` that ``question`` holds, each with whether it asks.

    A cue asks when it holds a word that asks ("bao lâu", "哪个部门") or one follows it closely
    ("lệ phí bao nhiêu", "材料有哪些"; each language's ASKING); a cue without ("thẩm quyền", "giấy
    tờ", "材料") may only name what the question is about: "Tố cáo … thuộc thẩm quyền … thì thời hạn
    giải quyết là bao lâu?" names an agency but asks for a deadline."""
    script = "zh" if zh.CJK_RUN.search(question) else "vi"
    lang = rules(script)
    text = normalize(question) if script == "zh" else vi.padded(question)
    found: dict[str, list[tuple[str, bool]]] = {}
    for kind, cues in table.items():
        for cue in cues:
            needle = cue if script == "zh" else f" {cue} "
            ends = [m.end() for m in re.finditer(re.escape(needle), text)]
            if not ends:
                continue
            if script == "zh":
                after = [text[e : e + lang.ASKING_REACH] for e in ends]
            else:  # the words after it, space-padded as the pattern wants them
                after = [" " + " ".join(text[e - 1 :].split()[: lang.ASKING_REACH]) + " " for e in ends]
            asks = bool(lang.ASKING.search(needle)) or any(lang.ASKING.search(a) for a in after)
            found.setdefault(kind, []).append((cue, asks))
    return found


def asked_kinds(question: str) -> frozenset[str]:
    """What a question asks for, by its cues: {"deadline"} for "… mất bao lâu?", "要提前多久"; only
    the kinds whose cues ask (``matched_cues``) when any does ("Giấy tờ cũ … mấy ngày có kết quả?"
    asks for a deadline, not papers or a result)."""
    found = matched_cues(question, rules("zh" if zh.CJK_RUN.search(question) else "vi").ASKS)
    # a narrower kind named anywhere rules out the wider one ("有效期是多长时间")
    found = {kind: cues for kind, cues in found.items() if not any(kind in SUPERSEDES.get(k, ()) for k in found)}
    asking = {kind for kind, cues in found.items() if any(asks for _cue, asks in cues)}
    return frozenset(asking or found)

"""Agency names → one canonical id per agency, whatever the spelling.

"Sở Lao động - TB&XH", "Sở LĐTBXH", "Sở Lao động, Thương binh và Xã hội" and a typed "so ldtbxh"
are all ``so-lao-dong-thuong-binh-xa-hoi``; "县民政局", "绥宁县民政局", "民政局" and "民政部门" are all
``民政局`` (the level, 县 or 市, is kept apart and narrows a query that names one).

The names and abbreviations are language-specific and live in the facts sections of
index/lang/vi.py and zh.py (FACT_AGENCIES, FACT_ABBREVIATIONS). Vietnamese is matched on folded,
lower-cased text with the abbreviations expanded; offsets are mapped back to the original text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang import vi, zh
from .model import Agency

_ZH_LEVELS = "省市县区乡镇"
NEAR_SHARE = 0.25  # "did you mean": names within this share of the query's words of the best one
_GENERIC_VI = re.compile(r"^(?:cac\s+)?(?:co quan|don vi|dia phuong|so ban nganh|nganh|to chuc)\b")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    agency: Agency


def is_cjk(text: str) -> bool:
    return bool(zh.CJK_RUN.search(text))


# --- Vietnamese ----------------------------------------------------------------------------------


class _Identity:
    """The offset map of a text no abbreviation changed: character i came from i."""

    def __getitem__(self, i: int) -> tuple[int, int]:
        return i, i + 1


def _vi_expand(text: str) -> tuple[str, list[tuple[int, int]] | _Identity]:
    """Folded, lower-cased ``text`` with abbreviations expanded, and for each of its characters
    the span of the original text it came from."""
    folded = vi.fold(text).lower()
    if len(folded) != len(text):  # a decomposed input: offsets are approximate, never out of range
        folded = folded[: len(text)].ljust(len(text))
    if not any(pattern.search(folded) for pattern, _ in vi.FACT_ABBREVIATIONS):
        return folded, _Identity()
    out, spans = folded, [(i, i + 1) for i in range(len(folded))]
    for pattern, expansion in vi.FACT_ABBREVIATIONS:
        pieces, new_spans, pos = [], [], 0
        for m in pattern.finditer(out):
            pieces.append(out[pos : m.start()])
            new_spans.extend(spans[pos : m.start()])
            origin = (spans[m.start()][0], spans[m.end() - 1][1])
            pieces.append(expansion)
            new_spans.extend([origin] * len(expansion))
            pos = m.end()
        pieces.append(out[pos:])
        new_spans.extend(spans[pos:])
        out, spans = "".join(pieces), new_spans
    return out, spans


@lru_cache(maxsize=1)
def _vi_patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    return [(aid, name, re.compile(rf"(?<!can )(?<![\w]){pat}(?![\w])")) for aid, name, pat in vi.FACT_AGENCIES]


_VI_BARE_UBND = re.compile(r"(?<![\w])(?:chu tich\s+)?uy ban nhan dan(?![\w])")
_VI_LEVEL_AHEAD = re.compile(r"\b(?:cac\s+|cap\s+)?(tinh|huyen|thanh pho|thi xa|quan|xa|phuong|thi tran)\b")


def _vi_level_agency(aid: str, name: str, level_word: str | None) -> tuple[str, str, str | None]:
    level = vi.FACT_LEVELS.get(level_word or "")
    slug = {"tỉnh": "tinh", "huyện": "huyen", "xã": "xa"}.get(level or "", "")
    aid = aid.replace("-{lvl}", f"-{slug}" if slug else "")
    name = name.replace(" {lvl}", f" {level}" if level else "")
    return aid, name, level


def _vi_find(text: str) -> list[Mention]:
    expanded, spans = _vi_expand(text)
    found: list[tuple[int, int, Agency]] = []
    for aid, name, pattern in _vi_patterns():
        for m in pattern.finditer(expanded):
            level = None
            if "{lvl}" in aid:
                aid2, name2, level = _vi_level_agency(aid, name, m.group("lvl"))
            else:
                aid2, name2 = aid, name
                if lvl := re.search(r"\b(tinh|huyen)\b", expanded[m.end() : m.end() + 8]):
                    level = vi.FACT_LEVELS[lvl.group(1)] if aid.startswith(("cong-an",)) else None
            a, b = spans[m.start()][0], spans[m.end() - 1][1]
            found.append((a, b, Agency(aid2, name2, text[a:b], level)))
    # "Ủy ban nhân dân và Ban Chỉ đạo … các huyện": the level comes later in the same clause
    for m in _VI_BARE_UBND.finditer(expanded):
        a, b = spans[m.start()][0], spans[m.end() - 1][1]
        if any(fa <= a < fb for fa, fb, _ in found):
            continue
        clause = re.split(r"[:;.]", expanded[m.end() :], maxsplit=1)[0][:120]
        lvl = _VI_LEVEL_AHEAD.search(clause)
        aid, name, level = _vi_level_agency("uy-ban-nhan-dan-{lvl}", "Ủy ban nhân dân {lvl}", lvl.group(1) if lvl else None)
        found.append((a, b, Agency(aid, name, text[a:b], level)))
    return _non_overlapping(found)


# --- Chinese -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _zh_patterns() -> list[tuple[str, str, str | None, re.Pattern[str]]]:
    pats = [(aid, name, None, re.compile(pat)) for aid, name, pat in zh.FACT_AGENCIES]
    pats += [(aid, dict((a, n) for a, n, _ in zh.FACT_AGENCIES)[aid], lvl, re.compile(pat))
             for aid, lvl, pat in zh.FACT_AGENCY_ALIASES]
    return pats


def _zh_find(text: str) -> list[Mention]:
    found: list[tuple[int, int, Agency]] = []
    for aid, name, alias_level, pattern in _zh_patterns():
        for m in pattern.finditer(text):
            a, b = m.span()
            mention = m.group(0)
            level = alias_level
            if level is None:
                inner = next((c for c in mention if c in _ZH_LEVELS), None)
                if a > 0 and text[a - 1] in _ZH_LEVELS:
                    level, a = text[a - 1], a - 1
                elif inner and aid == "团委":  # 团县委: the level sits inside the name
                    level = inner
                elif mention.startswith("各县市区"):
                    level = "县"
            if aid == "人民政府" and mention.startswith("市县两级"):
                level = None
            if zh.FACT_NOT_AGENCY.search(text[max(0, a - 3) : a]):
                continue
            found.append((a, b, Agency(aid, name if aid != "人民政府" or not mention.startswith("市县") else "市县两级政府",
                                       text[a:b], level)))
    return _non_overlapping(found)


# --- both ----------------------------------------------------------------------------------------


def _non_overlapping(found: list[tuple[int, int, Agency]]) -> list[Mention]:
    """Longest mentions first; a shorter one inside a longer one is dropped."""
    kept: list[tuple[int, int, Agency]] = []
    for a, b, agency in sorted(found, key=lambda x: (-(x[1] - x[0]), x[0])):
        if all(b <= ka or a >= kb for ka, kb, _ in kept):
            kept.append((a, b, agency))
    return [Mention(a, b, agency) for a, b, agency in sorted(kept, key=lambda x: x[0])]


def find_agencies(text: str, lang: str | None = None) -> list[Mention]:
    """Known agencies named in ``text``, in order, with their offsets."""
    return list(_find_cached(text, lang or ("zh" if is_cjk(text) else "vi")))


@lru_cache(maxsize=16384)
def _find_cached(text: str, lang: str) -> tuple[Mention, ...]:
    return tuple(_zh_find(text) if lang == "zh" else _vi_find(text))


def name_key(name: str) -> str:
    """A spelling-independent key of a name: folded, abbreviations expanded, connectors dropped."""
    if is_cjk(name):
        return re.sub(r"\s+", "", name)
    expanded, _ = _vi_expand(name.strip())
    return re.sub(r"\s+", " ", vi.FACT_NAME_FILLERS.sub(" ", expanded)).strip()


def slug(name: str) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", name_key(name)).strip("-")


def canonical(name: str, lang: str | None = None) -> Agency:
    """The agency ``name`` (any spelling, with or without diacritics) refers to.

    A known agency when the name is one (mostly); otherwise an agency whose id is the name's slug
    ("Các sở quản lý chuyên ngành" → its own id), so headings naming unlisted bodies still group.
    """
    name = re.sub(r"\s+", " ", name).strip().strip(":：.;,，")
    mentions = find_agencies(name, lang)
    if mentions:
        m = max(mentions, key=lambda m: m.end - m.start)
        if (m.end - m.start) >= 0.5 * len(name.strip()) or len(mentions) == 1 and m.start <= 4:
            return Agency(m.agency.id, m.agency.name, name, m.agency.level)
    if not is_cjk(name) and re.fullmatch(r"(?:uy ban nhan dan|ubnd)", vi.fold(name).lower()):
        return Agency("uy-ban-nhan-dan", "Ủy ban nhân dân", name, None)
    if is_cjk(name):
        core = re.sub(f"^[\u4e00-\u9fff]{{0,3}}?([{_ZH_LEVELS}])(?=[\u4e00-\u9fff]{{2,}})", "", name)
        return Agency(core, core, name, None)
    return Agency(slug(name), name[:1].upper() + name[1:], name, None)


def is_generic(name: str) -> bool:
    """"các cơ quan liên quan", "有关部门": references, not agencies."""
    if is_cjk(name):
        return bool(zh.FACT_NOT_AGENCY.match(name))
    return bool(_GENERIC_VI.match(name_key(name)))


def matches(query: Agency, agency: Agency) -> bool:
    """Whether a fact's ``agency`` is the one a user named in ``query``.

    Same id; a bare "UBND" matches every level; a query naming a level ("县民政局") matches facts of
    that level and facts whose level the text does not say.
    """
    if agency.id == query.id:
        return query.level is None or agency.level is None or query.level == agency.level
    return agency.id.startswith(query.id + "-") and query.id in ("uy-ban-nhan-dan", "hoi-dong-nhan-dan")


def resolve(query: str, known: list[Agency]) -> list[Agency]:
    """The agencies among ``known`` that a typed ``query`` names.

    Exact (canonical id) matches first; failing those, agencies whose name key holds every word of
    the query ("y te" → Sở Y tế, Bộ Y tế), so short or partial names still work.
    """
    q = canonical(query)
    exact = [a for a in known if matches(q, a)]
    if exact:
        return exact
    words = name_key(query).split() if not is_cjk(query) else [query]
    out = []
    for a in known:
        key = name_key(a.name) + " " + name_key(a.mention or "")
        if is_cjk(query):
            core = re.sub(f"^[\u4e00-\u9fff]{{0,3}}?[{_ZH_LEVELS}]", "", query)
            if core and (core in a.name or core in (a.mention or "") or core in a.id):
                out.append(a)
        elif words and all(re.search(rf"\b{re.escape(w)}\b", key) for w in words):
            out.append(a)
    return out


def nearest(query: str, known: list[Agency], n: int = 5, cutoff: float = 0.5) -> list[Agency]:
    """Up to ``n`` agencies of ``known`` whose names hold most of ``query``'s words (characters,
    for Chinese): "did you mean" for a name matching none. "Sở Văn hoá" → Sở Văn hóa, Thể thao và
    Du lịch; "Phòng Lao động" → Sở Lao động, …. Closest first, one per label, the query's script only."""
    key = name_key(query)
    cjk = is_cjk(query)
    asked = set(key) if cjk else set(key.split())
    scored: dict[str, tuple[tuple[float, float], Agency]] = {}
    for a in known:
        if is_cjk(a.name) != cjk or is_generic(a.name) or not asked:
            continue
        name = name_key(a.name)
        share = len(asked & (set(name) if cjk else set(name.split()))) / len(asked)
        score = (share, difflib.SequenceMatcher(None, key, name).ratio())  # the spelling breaks ties
        if share >= cutoff and score > scored.get(a.label, ((0.0, 0.0), a))[0]:
            scored[a.label] = (score, a)
    ranked = sorted(scored.values(), key=lambda x: x[0], reverse=True)
    # names sharing clearly fewer words than the best are noise beside it ("Công an" → not Công nghệ)
    return [a for (share, _), a in ranked if share >= ranked[0][0][0] - NEAR_SHARE][:n] if ranked else []

"""Document → facts: responsibilities, deadlines, eligibility, amounts, each with its quote.

Rules, not a model. The document's heading tree (the one the chunker builds) gives every line its
section; the language's cue lists (facts sections of index/lang/vi.py and zh.py) say what a role,
a deadline, a condition or an amount looks like. What counts as a fact is the annotation guideline
in eval/facts.py; in short:

responsibility
    (a) every duty under an agency heading ("7. Sở Y tế:", "2.1. Sở Y tế, Chi cục …:") — the lines
        of its subtree, cut into clauses at ";" and before a second role ("… và chịu trách nhiệm
        về …"); a lead-in ending in ":" gives its role and partners to the items under it;
    (b) the duties listed under the issuer's own duty heading ("（一）部门职能职责");
    (c) clauses where a named agency carries a role cue ("Chi cục … chủ trì", "Giao Sở … làm đầu
        mối", "… do Hội đồng … thực hiện", "市民政局、市发改委要会同…", "由…承担"), or is the subject
        of a numbered line in an implementation part ("1.1. Cấp tỉnh: Ban Chỉ đạo …, Sở Y tế …").
    Role: the first cue near the start of the clause (lead: chủ trì, đầu mối, chịu trách nhiệm,
    牵头, 负责 …; support: phối hợp, tham gia, 配合 …); else the role of the list's lead-in
    ("g) Phối hợp với …:"); else lead (the agency's own task).
deadline
    a yearly date ("trước ngày 15 tháng 11 hằng năm", "每年…前"), a one-off date or period with a
    deadline cue ("trước ngày 28/10/2020", "Thời gian thực hiện: từ năm 2016-2020", "预计2024年
    1—6月完成…") or a time limit ("10个工作日内"); dates of reference (decisions, past events) are not.
eligibility
    target groups ("Đối tượng …" lists), conditions ("nếu đạt từ 850 điểm trở lên", "凡…的",
    "符合…条件的", "对…的…免征"), required papers ("Hồ sơ gồm: (1) … (2) …").
amount
    money (triệu đồng, 万元, 元/月) and percentages wherever prose states them; counts only when they
    are targets (objectives part, or a cue: ít nhất, 达到, 以上, 不低于 …) or rates (200 tờ/xã,
    每个乡改造10户). Table rows are left out (their numbers have no measure in the line).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field

from ..chunking import heading_tree  # facts get the same sections as citations
from ..lang import rules, vi, zh
from ..types import Document
from .agencies import Mention, canonical, find_agencies
from .dates import find_dates
from .model import Agency, Amount, DateSpec, Deadline, Eligibility, Fact, Responsibility

log = logging.getLogger(__name__)

_TABLE_ROW = re.compile(r"\S\s\|\s|^\S+\s\|")
_MARKER = re.compile(
    r"^(?:[-+•*]\s*|[a-zđ]\)\s*|\(\d{1,2}\)\s*|（\d{1,2}）\s*|\d{1,2}(?:\.\d{1,2})*[.)]?\s+(?=\D)"
    r"|[一二三四五六七八九十]+[、.．]\s*|[（(][一二三四五六七八九十]+[）)]\s*|\d{1,2}[、.．]\s*|[\u2460-\u2473]\s*)"
)
_LIST_ITEM = re.compile(r"^(?:[-+•*]\s|\(\d{1,2}\)|（\d{1,2}）|[a-zđ]\)\s|[\u2460-\u2473])")
# between two agencies of one list: ", ", " và ", "、", a level word ("… gia đình tỉnh, Sở Y tế")
_JOIN = re.compile(r"\s*(?:(?:các\s+|cấp\s+)?(?:tỉnh|huyện|thị xã|thành phố|xã)\s*)?(?:,|và|、|和|及|与)?\s*(?:các\s+)?")
# a lower-case word next: the agency list is over and its task begins
_VERB_NEXT = re.compile(r"\s+[a-zđàáảãạăâèéêìíòóôơùúưỳý]|\s*,\s*[a-zđ]")
_TIGHT_LIST_ITEM = re.compile(r"^(?:[-+•*]\s|\(\d{1,2}\)|（\d{1,2}）|[\u2460-\u2473])")


@dataclass
class _Line:
    no: int  # 1-based line number in the cleaned text
    offset: int  # of ``text`` in the document
    text: str  # stripped
    section: str
    path: tuple[str, ...]
    chain: tuple[int, ...]  # ids of the nodes it sits in, outermost first
    opens: bool  # the first line of a numbered node
    node: object = field(repr=False, default=None)


def extract_document(doc: Document) -> list[Fact]:
    """All facts of one document; never raises on odd text (a broken line is skipped and logged)."""
    lang = "zh" if doc.meta.lang == "zh" else "vi"
    lines = _layout(doc, lang)
    ex = _Extractor(doc, lang, lines)
    facts = ex.responsibilities() + ex.deadlines() + ex.eligibility() + ex.amounts()
    unique: dict[tuple, Fact] = {}
    for f in facts:
        unique.setdefault((f.type, f.start, f.end, f.key), f)
    return sorted(unique.values(), key=lambda f: (f.start, f.type, f.key))


# --- layout: lines with their sections -----------------------------------------------------------


def _layout(doc: Document, lang: str) -> list[_Line]:
    root = heading_tree(doc.text, lang)
    walked: list[tuple[str, tuple[str, ...], tuple[int, ...], bool, object]] = []

    def walk(node, path: tuple[str, ...], chain: tuple[int, ...]) -> None:
        if node.heading:
            path = (*path, node.title)
        chain = (*chain, id(node))
        for i, line in enumerate(node.lines):
            walked.append((line, path, chain, i == 0 and node.kind != "root", node))
        for child in node.children:
            walk(child, path, chain)

    walk(root, (), ())
    out: list[_Line] = []
    offset, k = 0, 0
    for no, raw in enumerate(doc.text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            start = offset + raw.index(stripped[0])
            if k < len(walked) and walked[k][0] == stripped:
                text, path, chain, opens, node = walked[k]
                k += 1
            else:  # the tree skipped or reordered a line: keep it, without a section
                path, chain, opens, node = (), (), False, None
            out.append(_Line(no, start, stripped, " › ".join(path), path, chain, opens, node))
        offset += len(raw) + 1
    return out


def _strip_marker(text: str) -> tuple[str, int]:
    """The text after its list marker ("- ", "a) ", "(1) ", "1.2. ", "（一）"), and the marker's length."""
    m = _MARKER.match(text)
    return (text[m.end() :], m.end()) if m else (text, 0)


# --- the extractor -------------------------------------------------------------------------------


class _Extractor:
    def __init__(self, doc: Document, lang: str, lines: list[_Line]):
        self.doc, self.lang, self.lines = doc, lang, lines
        self.L = rules(lang)
        self.text = doc.text
        self._headings: dict[int, list[Agency]] = {}
        # agency headings and the lines under each: index of the heading line → (agencies, line indexes)
        self.blocks: dict[int, tuple[list[Agency], list[int]]] = {}
        self.block_of: dict[int, list[Agency]] = {}  # line number → the agencies of its heading
        for i, line in enumerate(lines):
            if line.opens and line.node is not None and (agencies := self._heading_agencies(line)):
                block = _block_lines(lines, i)
                self.blocks[i] = (agencies, block)
                for j in block:
                    self.block_of[lines[j].no] = agencies

    # facts -------------------------------------------------------------------------------------

    def _fact(self, kind: str, line: _Line, quote: str, payload, at: int | None = None) -> Fact | None:
        quote = quote.strip().rstrip(";；,，")
        if len(quote) < 2:
            return None
        pos = line.text.find(quote) if at is None else at
        if pos < 0:
            return None
        start = line.offset + pos
        return Fact(kind, self.doc.doc_id, self.lang, line.section, quote, line.no, start, start + len(quote), payload)

    def _clauses(self, text: str) -> list[tuple[int, str]]:
        """(offset, clause) pieces of a duty item: at ";"/"；" and before a second role."""
        out, pos = [], 0
        for m in self.L.FACT_CLAUSE_BREAK.finditer(text):
            out.append((pos, text[pos : m.start()]))
            pos = m.end()
        out.append((pos, text[pos:]))
        return [(p + (len(c) - len(c.lstrip())), c.strip()) for p, c in out if c.strip()]

    def _role(self, clause: str) -> str | None:
        """The role of a clause from a cue near its start, if any."""
        best = None
        for role, pattern in self.L.FACT_ROLE_CUES:
            m = pattern.search(clause)
            limit = 6 if self.lang == "zh" else 28
            if m and m.start() <= limit and (best is None or m.start() < best[0]):
                best = (m.start(), role)
        return best[1] if best else None

    def _partners(self, clause: str, exclude: set[str]) -> tuple[Agency, ...]:
        if not re.search(r"phối hợp|cùng với|会同|配合|联合|与", clause, re.I):
            return ()
        seen: dict[str, Agency] = {}
        for m in find_agencies(clause, self.lang):
            if m.agency.id not in exclude:
                seen.setdefault(m.agency.id, m.agency)
        return tuple(seen.values())

    # responsibility ----------------------------------------------------------------------------

    def responsibilities(self) -> list[Fact]:
        facts: list[Fact] = []
        in_block: set[int] = set()
        for i, (agencies, block) in self.blocks.items():
            in_block.update(block)
            in_block.add(i)
            facts += self._block(agencies, [self.lines[j] for j in block])
        for i, line in enumerate(self.lines):
            if i in in_block or _TABLE_ROW.search(line.text):
                continue
            try:
                facts += self._sentence_duties(line)
            except Exception:  # noqa: BLE001 - one odd line must not lose the document's facts
                log.exception("responsibility extraction failed on %s line %d", self.doc.doc_id, line.no)
        return facts

    def _heading_agencies(self, line: _Line) -> list[Agency]:
        """The agencies a heading line names, when it is only that ("7. Sở Y tế:", "（一）部门职能职责")."""
        if line.no not in self._headings:
            self._headings[line.no] = self._read_heading(line)
        return self._headings[line.no]

    def _read_heading(self, line: _Line) -> list[Agency]:
        body, _ = _strip_marker(line.text)
        body = body.strip()
        if self.lang == "zh":
            if self.L.FACT_DUTY_HEADING.search(body) and len(body) <= 20 and self.doc.meta.issuer:
                return [canonical(self.doc.meta.issuer, "zh")]
            return []
        if (not line.node.heading and not body.endswith(":")) or len(body) > 160 or re.search(r"[.;。]$", body):
            return []
        body = body.rstrip(":： ")
        if prefix := self.L.FACT_HEADING_PREFIX.match(body):
            body = body[prefix.end() :]
        mentions = find_agencies(body, "vi")
        if mentions and mentions[0].start <= 1:
            covered = sum(m.end - m.start for m in mentions)
            rest = body
            for m in reversed(mentions):
                rest = rest[: m.start] + rest[m.end :]
            rest = re.sub(r"(?i)\b(?:và|các|tổ chức|thành viên|khác|tỉnh|huyện|thị xã|thành phố|xã|phường|thị trấn)\b|[,\-–]", " ", rest)
            if covered >= 0.5 * len(body) or len(rest.split()) <= 3:
                return _dedupe([m.agency for m in mentions])
        if self.L.FACT_AGENCY_HEAD.match(body) and len(body) <= 140 and not re.search(r"\d", body):
            return [canonical(body, "vi")]
        return []

    def _block(self, agencies: list[Agency], block: list[_Line]) -> list[Fact]:
        """Duties under an agency heading: one fact per clause per agency."""
        facts: list[Fact] = []
        ids = {a.id for a in agencies}
        lead_in: tuple[str | None, tuple[Agency, ...]] | None = None  # role and partners of a list
        for line in block:
            if _TABLE_ROW.search(line.text):
                continue
            body, mark = _strip_marker(line.text)
            if not body.strip():
                continue
            tight = bool(_TIGHT_LIST_ITEM.match(line.text))
            if lead_in and not tight:
                lead_in = None
            if body.rstrip().endswith((":", "：")):
                # "g) Phối hợp với Sở … và các đơn vị liên quan:" → its items are support duties
                role = self._role(body)
                lead_in = (role, self._partners(body, ids))
                continue
            inherited = lead_in[0] if lead_in else None
            for pos, clause in self._clauses(body):
                role = self._role(clause) or inherited or "lead"
                partners = tuple(dict.fromkeys((*(lead_in[1] if lead_in else ()), *self._partners(clause, ids))))
                subjects = self._clause_subjects(clause, agencies) or agencies
                for agency in subjects:
                    payload = Responsibility(agency, role, clause, partners, _context(line))
                    if f := self._fact("responsibility", line, clause, payload, at=mark + pos):
                        facts.append(f)
        return facts

    def _clause_subjects(self, clause: str, agencies: list[Agency]) -> list[Agency]:
        """Heading agencies a clause names as its own subject ("… Sở Tài chính xem xét thẩm định")."""
        out = []
        for m in find_agencies(clause, self.lang):
            if m.agency.id not in {a.id for a in agencies}:
                continue
            before, after = clause[: m.start], clause[m.end :]
            if re.search(r"(?:của|với|cho|về|qua|thuộc|và)\s*$", before, re.I):
                continue
            if re.match(r"\s+[a-zđàáảãạăâèéêìíòóôơùúưỳý]", after):
                out.append(next(a for a in agencies if a.id == m.agency.id))
        return _dedupe(out)

    def _sentence_duties(self, line: _Line) -> list[Fact]:
        facts: list[Fact] = []
        body, mark = _strip_marker(line.text)
        implementation = bool(self.L.FACT_IMPLEMENTATION.search(line.section))
        for s_off, sentence in _pieces(body, self.lang):
            mentions = find_agencies(sentence, self.lang)
            if not mentions:
                continue
            for off, clause, subjects, role in self._duty_clauses(sentence, mentions, implementation and s_off == 0):
                ids = {a.id for a in subjects}
                for agency in subjects:
                    payload = Responsibility(agency, role, clause, self._partners(clause, ids), _context(line))
                    if f := self._fact("responsibility", line, clause, payload, at=mark + s_off + off):
                        facts.append(f)
        return facts

    def _duty_clauses(self, sentence: str, mentions: list[Mention], implementation: bool):
        """(offset, quote, agencies, role) for each duty a sentence states (rule (c) above)."""
        out = []
        # subject lists: consecutive mentions joined by ", " / " và " / "、" (and a level word)
        groups: list[list[Mention]] = []
        for m in mentions:
            if groups and _JOIN.fullmatch(sentence[groups[-1][-1].end : m.start]):
                groups[-1].append(m)
            else:
                groups.append([m])
        for group in groups:
            first, last = group[0], group[-1]
            agencies = _dedupe([m.agency for m in group])
            before, after = sentence[: first.start], sentence[last.end :]
            level = self.L.FACT_LEVEL_PHRASE.match(after) if self.L.FACT_LEVEL_PHRASE else None
            after_task = after[level.end() :] if level else after
            if self.lang == "zh":
                # "市民政局、市发改委要会同…": a short lead ("各", a place) may precede the agencies
                lead = before[before.rfind("，") + 1 :]
                if len(lead.strip()) <= 4 and (verb := self.L.FACT_DUTY_VERBS.match(after_task)):
                    start = first.start - len(lead.strip())
                    out.append((start, sentence[start:], agencies, self._role(after_task[verb.start() :]) or "lead"))
                elif self.L.FACT_BY_BEFORE.search(before) and self.L.FACT_BY_AFTER.match(after):
                    start = before.rfind("，") + 1  # the clause holding "由…承担"
                    out.append((start, sentence[start:], agencies, "lead"))
                continue
            if self.L.FACT_DUTY_AFTER.match(after_task):  # "Chi cục … chủ trì", "Giao Sở … làm đầu mối"
                assign = self.L.FACT_ASSIGN_VERB.search(before[-12:])
                start = sentence.rfind(assign.group(0).strip(), 0, first.start) if assign else first.start
                out.append((start, sentence[start:], agencies, self._role(after_task) or "lead"))
            elif self.L.FACT_BY_BEFORE.search(before) and self.L.FACT_BY_AFTER.match(after):  # "do … thực hiện"
                out.append((0, sentence, agencies, "lead"))
            elif (assign := self.L.FACT_ASSIGN_VERB.search(before)) and assign.start() <= 40 and "." not in before[assign.end() :]:
                # "… yêu cầu các sở, ban, ngành; UBND các huyện … chủ động triển khai": the last assignee
                if _VERB_NEXT.match(after_task) and group is self._last_group(groups, sentence, assign.end()):
                    out.append((first.start, sentence[first.start :], agencies, self._role(after_task.strip(" ,")) or "lead"))
            elif implementation:
                # "1.1. Cấp tỉnh: Ban Chỉ đạo …, Sở Y tế … tổ chức triển khai …"
                label = self.L.FACT_LEVEL_LABEL.match(sentence) if self.L.FACT_LEVEL_LABEL else None
                opening = label.end() if label else 0
                if (first.start <= opening + 1 and _VERB_NEXT.match(after_task)
                        and not self.L.FACT_ASSIGN_VERB.search(after_task[:12])):
                    out.append((first.start, sentence[first.start :], agencies, self._role(after_task) or "lead"))
        return out

    @staticmethod
    def _last_group(groups: list[list[Mention]], sentence: str, after: int) -> list[Mention] | None:
        """The last agency group after an assignment verb: the assignees' list ends with it."""
        chosen = None
        for g in groups:
            if g[0].start >= after:
                chosen = g
                # stop at the first group followed by a lower-case verb: the list is over
                tail = sentence[g[-1].end :]
                lvl = vi.FACT_LEVEL_PHRASE.match(tail)
                tail = tail[lvl.end() :] if lvl else tail
                if _VERB_NEXT.match(tail):
                    return g
        return chosen

    # deadlines -----------------------------------------------------------------------------------

    def deadlines(self) -> list[Fact]:
        facts: list[Fact] = []
        for line in self.lines:
            if _TABLE_ROW.search(line.text):
                continue
            try:
                facts += self._line_deadlines(line)
            except Exception:  # noqa: BLE001
                log.exception("deadline extraction failed on %s line %d", self.doc.doc_id, line.no)
        return facts

    def _line_deadlines(self, line: _Line) -> list[Fact]:
        facts = []
        body, mark = _strip_marker(line.text)
        under = self.block_of.get(line.no, [])
        heading_agency = under[0] if len(under) == 1 else None
        for off, clause in _pieces(body, self.lang, clauses=True, commas=self.lang == "zh"):
            for spec in find_dates(clause, self.lang):
                a, b = spec.span
                before, after = clause[:a], clause[b:]
                cue = self._deadline_cue(spec, before, after, clause)
                if cue is None:
                    continue
                when = dataclasses.replace(spec, text=(cue + spec.text).strip())
                what = self._what(line, clause, a - len(cue), b)
                agency = heading_agency or self._subject(clause)
                payload = Deadline(when, what, agency)
                if f := self._fact("deadline", line, clause, payload, at=mark + off):
                    facts.append(f)
        return facts

    def _deadline_cue(self, spec: DateSpec, before: str, after: str, clause: str) -> str | None:
        """The cue words before the date that make it a deadline ("trước ", "chậm nhất "), "" when
        the date form itself is one (yearly, a time limit), None when it is not a deadline."""
        if spec.kind == "unparsed":
            return None
        cue_m = re.search(r"(?:(?:trước|chậm nhất|muộn nhất|hạn chót|vào|trong)\s+)$", before, re.I) if self.lang == "vi" else None
        cue = cue_m.group(0) if cue_m else ""
        if self.lang == "vi":
            if spec.kind == "yearly":
                return cue
            if self.L.FACT_DEADLINE_CUE.search(before):
                return cue
            return None
        # Chinese
        if spec.kind in ("yearly", "relative"):
            return ""
        cond = self.L.FACT_CONDITION.search(clause)
        if "凡" in before or (cond and cond.start() <= len(before) <= cond.end()):
            return None  # "凡1998年9月以前建设使用…的": a condition, not a deadline
        if self.L.FACT_PAST.search(clause):
            return None
        if self.L.FACT_DEADLINE_AFTER.match(after) or self.L.FACT_DEADLINE_BEFORE.search(before):
            return ""
        if self.L.FACT_DEADLINE_CLAUSE.search(after) and not before.strip(" ，,"):
            return ""
        return None

    def _subject(self, clause: str) -> Agency | None:
        """The agency that must meet a deadline: one opening the clause (after a level label or the
        date), not one it is sent to ("gửi UBND tỉnh", "qua Sở …", "报送市民政局")."""
        for m in find_agencies(clause, self.lang):
            before = clause[: m.start]
            if re.search(r"(?:gửi|về|qua|cho|với|của|trình|tới|đến|向|报送|报|给|与|经)\s*(?:các\s+)?$", before, re.I):
                continue
            opening = re.sub(r"^.*[:：,，]\s*", "", before) if self.lang == "vi" else re.sub(r"^.*[，,：:]", "", before)
            if len(opening.strip()) <= (4 if self.lang == "zh" else 12):
                return m.agency
        return None

    def _what(self, line: _Line, clause: str, a: int, b: int) -> str:
        """What is due: the clause without its date, or the activity heading for a bare period line."""
        rest = clause[: max(a, 0)] + ("" if self.lang == "zh" else " ") + clause[b:]
        rest = re.sub(r"\(\s*\)|（\s*）", " ", rest)
        rest = re.sub(r"\s*([:：])\s*[,，]\s*", r"\1 ", rest)
        rest = re.sub(r"\s*[,，]\s*([,，.;])", r"\1", rest)
        rest = re.sub(r"\s{2,}", " ", rest).strip(" ,.;:()（）。，；：")
        bare = re.sub(r"(?i)(?:[a-zđ]\)\s*)?(?:thời gian thực hiện|thời gian hoàn thành|thời hạn|từ)\s*:?", "", rest).strip(" :.")
        if len(bare) < 4:
            return _context(line) or rest
        return rest

    # eligibility -------------------------------------------------------------------------------

    def eligibility(self) -> list[Fact]:
        facts: list[Fact] = []
        for i, line in enumerate(self.lines):
            if _TABLE_ROW.search(line.text):
                continue
            try:
                facts += self._line_eligibility(i, line)
            except Exception:  # noqa: BLE001
                log.exception("eligibility extraction failed on %s line %d", self.doc.doc_id, line.no)
        return facts

    def _line_eligibility(self, i: int, line: _Line) -> list[Fact]:
        facts: list[Fact] = []
        body, mark = _strip_marker(line.text)
        # papers: "Hồ sơ gồm:" then "(1) …" items
        if self.L.FACT_PAPERS_LEADIN.search(line.text):
            items = []
            for nxt in self.lines[i + 1 :]:
                if not _LIST_ITEM.match(nxt.text) or nxt.text.rstrip().endswith((":", "：")):
                    break
                items.append(_strip_marker(nxt.text)[0].strip().rstrip(".;；。"))
            if items:
                who = re.sub(r"(?i)\b(?:bao gồm|gồm có|gồm)\s*:?\s*$", "", body).strip(" *:")
                payload = Eligibility("papers", who, papers=tuple(items))
                if f := self._fact("eligibility", line, line.text.lstrip("-*• "), payload):
                    facts.append(f)
            return facts
        # target groups: items under an "Đối tượng …" heading
        if _LIST_ITEM.match(line.text) and self._under_who_heading(line):
            who = body.strip().rstrip(".;")
            if f := self._fact("eligibility", line, body, Eligibility("who", who)):
                facts.append(f)
            return facts
        # conditions
        for off, piece in _pieces(body, self.lang, clauses=self.lang == "zh"):
            windows = []
            for m in self.L.FACT_CONDITION.finditer(piece):
                a, b = _window(piece, m, self.lang) if self.lang == "zh" else (0, len(piece))
                if self.L.FACT_NOT_CONDITION and self.L.FACT_NOT_CONDITION.search(piece[a:b]):
                    continue
                if any(a < wb and wa < b for wa, wb, _ in windows):
                    continue
                windows.append((a, b, m))
            for a, b, m in windows:
                quote = piece[a:b]
                who, condition = _who_condition(quote, m, self.lang, a)
                threshold, unit = None, ""
                if t := self.L.FACT_THRESHOLD.search(quote):
                    threshold, unit = _number(t.group("num"), self.lang), t.group("unit")
                kind = "who" if self.L.FACT_WHO_CUE and self.L.FACT_WHO_CUE.match(m.group(0)) else "condition"
                payload = Eligibility(kind, who, condition, threshold=threshold, unit=unit)
                if f := self._fact("eligibility", line, quote, payload, at=mark + off + a):
                    facts.append(f)
        return facts

    def _under_who_heading(self, line: _Line) -> bool:
        return any(self.L.FACT_WHO_HEADING.search(p) for p in line.path[-2:])

    # amounts -------------------------------------------------------------------------------------

    def amounts(self) -> list[Fact]:
        facts: list[Fact] = []
        for line in self.lines:
            if _TABLE_ROW.search(line.text) or line.text.startswith(("(Bằng chữ", "（大写")):
                continue
            try:
                facts += self._line_amounts(line)
            except Exception:  # noqa: BLE001
                log.exception("amount extraction failed on %s line %d", self.doc.doc_id, line.no)
        return facts

    def _line_amounts(self, line: _Line) -> list[Fact]:
        facts = []
        body, mark = _strip_marker(line.text)
        objectives = any(self.L.FACT_OBJECTIVES_HEADING.search(p) for p in line.path)
        for off, clause in _pieces(body, self.lang, clauses=True, commas=True):
            dates = [s.span for s in find_dates(clause, self.lang)]
            for m in self.L.FACT_AMOUNT.finditer(clause):
                a, b = m.span()
                if any(a < db and da < b for da, db in dates):
                    continue
                if self.lang == "zh" and self.L.FACT_NOT_AMOUNT_BEFORE.search(clause[:a]):
                    continue
                if self.lang == "zh" and re.match(r"(?:工作日|自然日|月|年|岁|层|楼)", clause[b:]):
                    continue
                unit = re.sub(r"\s+", " ", m.group("unit")).strip()
                if m.groupdict().get("mult"):
                    unit = f"{m.group('mult')} {unit}"
                kind = _amount_kind(unit, self.L)
                target = objectives or bool(self.L.FACT_TARGET_CUE.search(clause) or self.L.FACT_TARGET_AFTER.match(clause[b:]))
                if kind == "count":
                    rate = self.L.FACT_RATE_CUE.search(clause[:a]) or (self.lang == "vi" and self.L.FACT_RATE_CUE.search(clause))
                    if rate:
                        kind = "rate"
                    elif not target:
                        continue
                value = _number(m.group("num"), self.lang)
                if value is None:
                    continue
                num2 = m.groupdict().get("num2")
                measure = (clause[:a] + " … " + clause[b:]).strip(" ,.;:，；：。…") if clause[b:].strip(" ,.;:，；：。") else clause[:a].strip(" ,.;:，；：。")
                payload = Amount(value, unit, measure or clause, kind, target and kind != "money" or (target and objectives),
                                 _number(num2, self.lang) if num2 else None, m.group(0).strip())
                if f := self._fact("amount", line, clause, payload, at=mark + off):
                    facts.append(f)
        return facts


# --- helpers -------------------------------------------------------------------------------------


def _block_lines(lines: list[_Line], i: int) -> list[int]:
    """Indexes of the lines under the agency heading at ``i``: its subtree, up to a closing
    paragraph (an unmarked line after the block's first item: "UBND tỉnh yêu cầu …", "Trên đây là …")."""
    node = lines[i].node
    out: list[int] = []
    for j in range(i + 1, len(lines)):
        if id(node) not in lines[j].chain:
            break
        marked = bool(_MARKER.match(lines[j].text))
        if out and not marked and not lines[j - 1].text.rstrip().endswith((":", "：")):
            break
        out.append(j)
    return out


def _dedupe(agencies: list[Agency]) -> list[Agency]:
    seen: dict[str, Agency] = {}
    for a in agencies:
        seen.setdefault(a.id, a)
    return list(seen.values())


def _context(line: _Line) -> str:
    """The nearest heading above a line (its activity), not the line itself."""
    path = list(line.path)
    if path and line.opens and line.node is not None and getattr(line.node, "heading", False):
        path = path[:-1]
    return path[-1] if path else ""


def _pieces(text: str, lang: str, *, clauses: bool = False, commas: bool = False) -> list[tuple[int, str]]:
    """(offset, piece) of ``text``: sentences; with ``clauses`` also cut at ";"/"；"; with ``commas``
    Chinese pieces are cut at "，" too (a number's measure is its clause)."""
    if lang == "zh":
        pattern = r"[。！？]" + (r"|[；;]" if clauses else "") + (r"|[，,：:]" if commas else "")
    else:
        pattern = r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ\-–(\d])" + (r"|;\s*" if clauses else "")
    out, pos = [], 0
    for m in re.finditer(pattern, text):
        out.append((pos, text[pos : m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    res = []
    for p, piece in out:
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            res.append((p + lead, piece))
    return res


def _number(raw: str | None, lang: str) -> float | None:
    """"5.444" → 5444, "0,4" → 0.4, "1.000" → 1000 (Vietnamese); "1015.49" → 1015.49 (Chinese)."""
    if not raw:
        return None
    raw = raw.strip()
    try:
        if lang == "vi":
            if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
                return float(raw.replace(".", "").replace(",", "."))
            return float(raw.replace(",", "."))
        return float(raw.replace(",", "").replace("，", ""))
    except ValueError:
        return None


def _amount_kind(unit: str, L) -> str:
    low = unit.lower()
    if "%" in low or "phần trăm" in low:
        return "percent"
    if any(w in low.split() or low.endswith(w) or w in low for w in L.FACT_MONEY_WORDS if w != "đ") or low in ("đ", "vnđ"):
        return "money"
    if "/" in low:
        return "rate"
    return "count"


def _who_condition(quote: str, m: re.Match[str], lang: str, shift: int = 0) -> tuple[str, str]:
    """Who a condition is about and the condition itself, as written."""
    if lang == "vi":
        if ":" in quote[: m.start()]:
            who, cond = quote.split(":", 1)
            return who.strip(" -"), cond.strip()
        return quote[: m.start()].strip(" ,-") or quote, quote[m.start() :].strip()
    return m.group(0).strip("，, "), quote


def _window(piece: str, m: re.Match[str], lang: str) -> tuple[int, int]:
    """The comma-clauses of a Chinese sentence piece that state one condition: the clause holding
    the cue, the clause before it when the cue's clause is a consequence ("…的，不需…"), and the
    clause after it when the cue's clause only names who ("凡…的，…")."""
    bounds, pos = [], 0
    for c in re.finditer("[，,]", piece):
        bounds.append((pos, c.start()))
        pos = c.end()
    bounds.append((pos, len(piece)))
    first = next(i for i, (a, b) in enumerate(bounds) if a <= m.start() < b or m.start() < a) if bounds else 0
    last = next((i for i, (a, b) in enumerate(bounds) if a < m.end() <= b), len(bounds) - 1)
    lo, hi = first, last
    if zh.FACT_CONSEQUENCE.match(piece[bounds[lo][0] :]) and lo > 0:
        lo -= 1
    if hi + 1 < len(bounds):
        clause, following = piece[bounds[hi][0] : bounds[hi][1]], piece[bounds[hi + 1][0] :]
        opens_who = clause.startswith("凡") and not re.search("不得|不需|均|由|可", clause)
        if clause.endswith("的") or opens_who or zh.FACT_CONSEQUENCE.match(following):
            hi += 1
    return bounds[lo][0], bounds[hi][1]

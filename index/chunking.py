"""Document → chunks cut along its heading tree, each carrying its section path.

The cleaned text has one paragraph, heading or table row per line. Numbered lines ("I.", "1.1.",
"a)", "（一）", "第三条") open nodes; each kind of marker is a level, nested in the order the kinds
appear, so a document that lost its "I." headings still nests "1." / "1.1." / "a)" correctly.
A subtree that fits the size limit becomes one chunk; a larger one is split between its children,
packing small neighbours together, and a paragraph too long on its own is split between sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fields import field_title, is_record
from .lang import vi, zh
from .sentences import estimate_tokens, split_sentences
from .types import Chunk, Document

_TABLE_ROW = re.compile(r"\S\s\|\s")


@dataclass
class Node:
    kind: str
    title: str  # shown in section paths when ``heading``
    heading: bool  # a short heading line, not a numbered paragraph
    lines: list[str] = field(default_factory=list)  # its own line and the content before children
    children: list[Node] = field(default_factory=list)
    unit: bool = False  # an article or a labelled field: a chunk of its own, its title in the section path

    def all_lines(self) -> list[str]:
        return self.lines + [line for child in self.children for line in child.all_lines()]


def _patterns(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    if lang == "zh":
        return zh.HEADING_PATTERNS
    if lang == "vi":
        return vi.HEADING_PATTERNS
    return vi.HEADING_PATTERNS + zh.HEADING_PATTERNS


def _is_caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return (
        8 <= len(line) <= 160
        and len(line.split()) >= 2
        and len(letters) >= 6
        and sum(c.isupper() for c in letters) / len(letters) > 0.85
        and not _TABLE_ROW.search(line)
    )


def _title(line: str, marker_end: int, lang: str) -> tuple[str, bool]:
    """Label for the section path, and whether the line is a heading (vs a numbered paragraph)."""
    label = line[:marker_end].strip()
    body = line[marker_end:].strip()
    limit = 40 if lang == "zh" else 110
    if len(line) <= limit and not re.search(r"[.。;；,，]$", line):
        return line.rstrip(":： ").strip(), True
    # an inline heading: "（七）提升农村养老服务能力和水平。整合…", "b) Phương thức thực hiện: Chi cục…"
    head = re.split(r"[:：。]", body, maxsplit=1)[0].strip()
    if head != body and 0 < len(head) <= limit // 2 + 10:
        return f"{label} {head}".strip(), True
    return f"{label} {body[:40].rstrip()}…", False


UNIT_KINDS = frozenset({"zh-article", "vi-article"})  # 第X条, Điều N: each article is a unit


def heading_tree(text: str, lang: str) -> Node:
    """The document's heading tree: numbered and all-caps lines open nodes; other lines are content.

    Articles (第X条, Điều N) and, in a record, labelled fields are units: chunks of their own whose
    article number or label is in the section path: a line of several fields ("Hình thức nộp: …;
    Thời hạn giải quyết: …") by all their labels. A field's lines that repeat its label (one
    "Thành phần hồ sơ:" line per paper) stay one unit."""
    root = Node(kind="root", title="", heading=False)
    stack: list[Node] = [root]
    patterns = _patterns(lang)
    seen_heading = False
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    record = is_record(lines)
    for line in lines:
        node = None
        if record and (label := field_title(line)):
            if stack[-1].kind == "field" and stack[-1].title == label:
                stack[-1].lines.append(line)
                continue
            node = Node("field", label, True, [line], unit=True)
        elif not _TABLE_ROW.search(line):
            for kind, pattern in patterns:
                m = pattern.match(line)
                if m and m.end() < len(line):
                    title, heading = _title(line, m.end(), lang)
                    if kind in UNIT_KINDS and (not heading or title != line.rstrip(":： ").strip()):
                        # an article without a title line of its own is named by its number
                        title, heading = m.group(0).strip().rstrip(".:"), True
                    node = Node(kind, title, heading, [line], unit=kind in UNIT_KINDS)
                    break
            if node is None and seen_heading and _is_caps_heading(line):
                # an all-caps line after the body started is a new part (an annex, a table title)
                node = Node("caps", line, True, [line])
        if node is None:
            stack[-1].lines.append(line)
            continue
        seen_heading = True
        if node.kind == "caps":
            del stack[1:]
        else:
            kinds = [n.kind for n in stack]
            if node.kind in kinds:
                del stack[kinds.index(node.kind) :]
        stack[-1].children.append(node)
        stack.append(node)
    return root


SHORT_LEAD_IN = 40  # characters: a lead-in this short ("Hồ sơ gồm:") says little without the line before it


class _Packer:
    """Packs lines into chunks of at most ``max_tokens``, never cutting a sentence."""

    def __init__(self, doc: Document, max_tokens: int, min_chars: int):
        self.doc, self.max_tokens, self.min_chars = doc, max_tokens, min_chars
        self.chunks: list[Chunk] = []
        self.carry: str | None = None  # a lead-in line held back for the next chunk
        self.carry_section: tuple[str, ...] | None = None  # set when it stood alone: it joins only its own section

    def emit(self, lines: list[str], section: tuple[str, ...], alone: bool = False) -> None:
        text = "\n".join(lines).strip()
        if not text or (section and text.rstrip(":： ") == section[-1]):
            return  # nothing, or a lone heading line: its section path already carries it
        prev = self.chunks[-1] if self.chunks else None
        # a scrap too small to stand alone joins the chunk before it when that has room (a unit
        # stands alone however small: it is cited by its own section)
        if (
            not alone
            and prev is not None
            and len(text) < self.min_chars
            and estimate_tokens(prev.text + text) <= self.max_tokens
        ):
            self.chunks[-1] = Chunk(prev.chunk_id, prev.doc_id, prev.ordinal, prev.text + "\n" + text, prev.section)
            return
        lead_in = lines[0].strip()
        if prev is not None and prev.section == section and len(lead_in) < SHORT_LEAD_IN and lead_in.endswith((":", "：")):
            # "Hồ sơ gồm:" goes on from the sentence before it ("… ký duyệt hồ sơ gửi phòng Lao động"),
            # which ended the previous chunk: the list's chunk repeats it, so a question finds both
            # (and may run over by that line: the model reads far more than a chunk)
            before = prev.text.splitlines()[-1]
            if estimate_tokens(f"{before}\n{text}") <= 1.5 * self.max_tokens:
                text = f"{before}\n{text}"
        n = len(self.chunks)
        self.chunks.append(Chunk(f"{self.doc.doc_id}#{n}", self.doc.doc_id, n, text, section))

    def pack(self, lines: list[str], section: tuple[str, ...], unit: bool = False) -> None:
        """Greedy packing of whole lines; a table keeps its header row at the top of each chunk. A
        unit's lines are packed alone: no lead-in joins them from before or leaves them after."""
        buf: list[str] = []
        size = 0
        header: str | None = None
        fresh = bool(lines)  # the last call (no new lines) emits whatever is held back
        if self.carry and unit:
            self.emit([self.carry], self.carry_section or section)
            self.carry, self.carry_section = None, None
        if self.carry:
            if self.carry_section is None or self.carry_section == section:
                lines = [self.carry, *lines]
            else:  # a lone lead-in ("… như sau:") before another section's heading stays where it is
                self.emit([self.carry], self.carry_section)
            self.carry, self.carry_section = None, None
        for line in lines:
            row = bool(_TABLE_ROW.search(line))
            header = (header or line) if row else None
            for piece in self._pieces(line):
                t = estimate_tokens(piece)
                if buf and size + t > self.max_tokens:
                    self.emit(buf, section, alone=unit)
                    buf, size = [], 0
                    if row and header and piece != header:
                        buf, size = [header], estimate_tokens(header)
                buf.append(piece)
                size += t
        if not unit and buf and buf[-1].endswith((":", "：")) and (len(buf) > 1 or fresh):
            # a lead-in ("Hồ sơ gồm:") goes with the list that follows, in the next chunk; one
            # standing alone (its list parted from it by the heading tree) only within its section
            self.carry_section = None if len(buf) > 1 else section
            self.carry = buf.pop()
        self.emit(buf, section, alone=unit)

    def _pieces(self, line: str) -> list[str]:
        """A line too long for one chunk, cut between sentences (or clauses, as a last resort)."""
        if estimate_tokens(line) <= self.max_tokens:
            return [line]
        pieces: list[str] = []
        cur = ""
        for sentence in split_sentences(line):
            joiner = "" if zh.CJK_RUN.match(sentence[:1] or " ") else " "
            candidate = f"{cur}{joiner}{sentence}" if cur else sentence
            if cur and estimate_tokens(candidate) > self.max_tokens:
                pieces.append(cur)
                cur = sentence
            else:
                cur = candidate
        if cur:
            pieces.append(cur)
        return pieces


def _has_units(node: Node) -> bool:
    return any(child.unit or _has_units(child) for child in node.children)


def _walk(node: Node, path: tuple[str, ...], packer: _Packer) -> None:
    if node.heading:
        path = (*path, node.title)
    if node.unit:
        packer.pack(node.all_lines(), path, unit=True)
        return
    if not _has_units(node) and estimate_tokens("\n".join(node.all_lines())) <= packer.max_tokens:
        packer.pack(node.all_lines(), path)
        return
    packer.pack(node.lines, path)
    # neighbours that fit are packed together under the parent's path; big ones are split further
    group: list[Node] = []
    size = 0
    for child in node.children:
        t = estimate_tokens("\n".join(child.all_lines()))
        if t > packer.max_tokens or child.unit or _has_units(child):
            _flush(group, path, packer)
            group, size = [], 0
            _walk(child, path, packer)
            continue
        if group and size + t > packer.max_tokens:
            _flush(group, path, packer)
            group, size = [], 0
        group.append(child)
        size += t
    _flush(group, path, packer)


def _flush(group: list[Node], path: tuple[str, ...], packer: _Packer) -> None:
    if len(group) == 1 and group[0].heading:
        path = (*path, group[0].title)
    if group:
        packer.pack([line for child in group for line in child.all_lines()], path)


def chunk_document(doc: Document, *, max_tokens: int = 320, min_chars: int = 40) -> list[Chunk]:
    """Cut ``doc`` into chunks along its headings; every chunk knows its section path."""
    packer = _Packer(doc, max_tokens, min_chars)
    _walk(heading_tree(doc.text, doc.meta.lang), (), packer)
    if packer.carry:
        packer.pack([], packer.chunks[-1].section if packer.chunks else ())
    return packer.chunks


def indexed_text(chunk: Chunk, head: str) -> str:
    """What BM25 sees: the passage under its document's title, issuer and section.

    Headings carry the topic ("2.1. Sở Y tế…") and the head names the plan and its province, so a
    passage of bare duties still matches a question that names the agency, the plan or the place.
    """
    head = " › ".join(part for part in (head, chunk.section_path) if part)
    return f"{head}\n{chunk.text}" if head else chunk.text


def indexed_document_text(doc) -> str:
    """What BM25 over whole documents sees: the document's head and its whole text."""
    return f"{document_head(doc.meta)}\n{doc.text}"


def document_head(meta) -> str:
    """Title plus issuer (which names the province or county) for the BM25 text of each passage."""
    return f"{meta.title} ({meta.issuer})" if meta.issuer and meta.issuer not in meta.title else meta.title

"""Cleanup shared by every reader: one paragraph, heading or table row per line, nothing else.

Scraped and extracted text arrives with Markdown marks, tables flattened to one cell per line,
page chrome, recipient lists and signature blocks, and sentences broken across lines. The
language-specific phrases and shapes live in index/lang/vi.py and zh.py; this module applies them.
"""

from __future__ import annotations

import re
import unicodedata

from index.lang import vi, zh

_LANGS = (vi, zh)

# --- characters ----------------------------------------------------------------------------------
_BREAKS = re.compile("\r\n?|[\x0b\x0c\u2028\u2029]")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")  # NBSP, full-width space, …
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # keeps \t (tab tables) and \n
_CJKISH = re.compile(f"[{zh.CJK}\u3000-\u303f\uff00-\uffef]")  # ideographs and full-width marks

# --- Markdown ------------------------------------------------------------------------------------
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_RULE = re.compile(r"\s{0,3}(?:[-*_=]\s*){3,}")  # also a setext underline
_MD_FENCE = re.compile(r"\s{0,3}(?:```|~~~).*")
_MD_LINK_DEF = re.compile(r"\s{0,3}\[[^\]]+\]:\s+\S+.*")
_MD_QUOTE = re.compile(r"^\s{0,3}>(?:\s|$)")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_MD_CODE = re.compile(r"(`+)(.+?)\1")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_MD_TABLE_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")
_HTML_INLINE = re.compile(r"</?(?:sub|sup|b|i|u|em|strong|span|font|small|big|mark|a)\b[^>]*>", re.I)
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
# Emphasis marks hug a word: "**KẾ HOẠCH**", "*Hà Tĩnh, ngày …*", "***Hồ sơ gồm:**". A star with
# space on both sides ("* Hồ sơ đề nghị …", a list mark) or between signs ("(*)") stays.
_EMPHASIS = re.compile(
    r"(?<![^\s(\[{\"“‘'])(?:\*{1,3}|__)(?=[\w\"“‘(\[])"
    r"|(?<=[\w.,:;!?)\]\"”’%])(?:\*{1,3}|__)(?![\w*])"
)

# --- structure -----------------------------------------------------------------------------------
_PIPES = re.compile(r"\|+")
_SENTENCE_END = re.compile(r"[.!?;:。！？；：…][\"'”’」』)）]*$")
_FULL_STOP = re.compile(r"[.!?;。！？；][\"'”’」』)）]*$")
_LIST_MARK = re.compile(r"[-–+*•●○■□▪◆]\s")
_HEADINGS = [p for lang in _LANGS for _, p in lang.HEADING_PATTERNS]

# --- chrome --------------------------------------------------------------------------------------
_CHROME = [lang.CHROME_PATTERN for lang in _LANGS]
_LINK_HEADER = re.compile(
    "(?:" + "|".join(h for lang in _LANGS for h in lang.LINK_LIST_HEADERS) + r")\s*[：:]?"
)
_LINK_ITEM = re.compile(
    r"[»›•·▪■◆>]\s*.*|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}"
    r"|.+\.(?:docx?|pdf|xlsx?|wps|ofd|zip|rar|txt)"
)
_RECIPIENTS = [(lang.RECIPIENTS, lang.RECIPIENT_ITEM) for lang in _LANGS if lang.RECIPIENTS]
_SIGNATURES = [lang.SIGNATURE_LINE for lang in _LANGS if lang.SIGNATURE_LINE]
_SIGNERS = [lang.SIGNER_NAME for lang in _LANGS if lang.SIGNER_NAME]


def clean(text: str) -> str:
    """Cleaned text: NFC, one paragraph / heading / table row per line, no empty lines."""
    text = unicodedata.normalize("NFC", text)
    text = _BREAKS.sub("\n", _HTML_BREAK.sub("\n", text))
    text = _CONTROLS.sub("", _INVISIBLE.sub("", _SPACES.sub(" ", text)))
    lines = _strip_markdown(text.split("\n"))
    lines = _rebuild_pipe_tables(_rebuild_tab_tables(lines))
    lines = [s for line in lines if (s := _squeeze(line))]
    return "\n".join(_rejoin(_drop_chrome(lines)))


def join_cells(cells: list[str]) -> str:
    """A table row as one readable line: "1 | Khảo sát đầu vào | 100 | | | | | 100".

    Inner empty cells stay (they keep the columns in place); empty cells at either end go.
    """
    cells = [_squeeze(c, cjk=True) for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    while cells and not cells[0]:
        cells.pop(0)
    return _squeeze(" | ".join(cells))


def join_text(a: str, b: str) -> str:
    """Two pieces of one sentence: no space between Chinese characters, one space otherwise."""
    if _CJKISH.match(a[-1:]) or _CJKISH.match(b[:1]):
        return a + b
    return f"{a} {b}"


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def is_heading(line: str) -> bool:
    """Starts like a heading or list item ("I.", "1.1.", "a)", "- ", "一、", "（三）")."""
    return bool(_LIST_MARK.match(line)) or any(p.match(line) for p in _HEADINGS)


def _squeeze(s: str, cjk: bool = False) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    # inside table cells, spaces between ideographs are layout ("数量   指标")
    return re.sub(f"(?<=[{zh.CJK}]) (?=[{zh.CJK}])", "", s) if cjk else s


def _strip_markdown(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if _MD_FENCE.fullmatch(line) or _MD_RULE.fullmatch(line) or _MD_LINK_DEF.fullmatch(line):
            continue
        line = _MD_QUOTE.sub("", line)
        if m := _MD_HEADING.match(line):
            line = m.group(1)
        line = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", line))
        line = _HTML_INLINE.sub("", _MD_AUTOLINK.sub(r"\1", line))
        line = _EMPHASIS.sub("", _MD_CODE.sub(r"\2", line))
        out.append(_MD_ESCAPE.sub(r"\1", line))
    return out


def _rebuild_tab_tables(lines: list[str]) -> list[str]:
    """Tables pasted from an office file: one tab-led cell per line, a blank line between rows.

    A line without the tab continues the cell above ("年度" / "指标值"). Blocks whose lines are
    mostly whole sentences are tab-indented paragraphs and stay as they are.
    """
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip() or line.startswith("\t"):  # "\t" alone is an empty cell, not a gap
            block.append(line)
            continue
        if block:
            out.extend(_tab_row(block))
            block = []
        out.append(line)
    return out[:-1]


def _tab_row(block: list[str]) -> list[str]:
    tabbed = [line.strip() for line in block if line.startswith("\t")]
    filled = [c for c in tabbed if c]
    if len(tabbed) < 2 or 2 * sum(bool(_FULL_STOP.search(c)) for c in filled) > len(filled):
        return block
    cells: list[str] = []
    for line in block:
        if line.startswith("\t") or not cells:
            cells.append(line.strip())
        else:
            cells[-1] = join_text(cells[-1], line.strip())
    row = join_cells(cells)
    return [row] if row else []


def _rebuild_pipe_tables(lines: list[str]) -> list[str]:
    """Scraped tables ("a |" per cell, "||…" between rows), one-line rows and Markdown tables."""
    out: list[str] = []
    cells: list[str] = []

    def flush() -> None:
        if row := join_cells(cells):
            out.append(row)
        cells.clear()

    for line in lines:
        s = line.strip()
        if _PIPES.fullmatch(s):
            if len(s) == 1:
                cells.append("")  # a scraped empty cell
            else:
                flush()  # "||||" ends a scraped row
        elif "|" in s and _MD_TABLE_RULE.fullmatch(s):  # "|---|:---:|"
            flush()
        elif s.endswith("|"):
            parts = s[1:-1].split("|") if s.startswith("|") else s[:-1].split("|")
            if len(parts) > 1 or s.startswith("|"):  # a whole row on one line
                flush()
                if row := join_cells(parts):
                    out.append(row)
            else:
                cells.append(parts[0])
        else:
            flush()
            out.append(line)
    flush()
    return out


def _drop_chrome(lines: list[str]) -> list[str]:
    """Drop page chrome, link and attachment lists, recipient lists and signature blocks."""
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        i += 1
        if any(p.fullmatch(line) for p in _CHROME):
            continue
        if _LINK_HEADER.fullmatch(line):
            while i < n and _LINK_ITEM.fullmatch(lines[i]):
                i += 1
        elif item := next((item for header, item in _RECIPIENTS if header.match(line)), None):
            while i < n and item.fullmatch(lines[i]):
                i += 1
        elif any(p.fullmatch(line) for p in _SIGNATURES):
            while i < n and any(p.fullmatch(lines[i]) for p in _SIGNATURES):
                i += 1
            if i < n and any(p.fullmatch(lines[i]) for p in _SIGNERS):
                i += 1  # the signer's name
        else:
            out.append(line)
    return out


def _rejoin(lines: list[str]) -> list[str]:
    """Glue back sentences broken across lines ("… nâng dần" / "tỷ lệ xã …", "综合服" / "务设施")."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if (
            prev
            and " | " not in prev
            and " | " not in line
            and not ends_sentence(prev)
            and not is_heading(line)
            and any(lang.continues(prev, line) for lang in _LANGS)
        ):
            out[-1] = join_text(prev, line)
        else:
            out.append(line)
    return out

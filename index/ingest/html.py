"""HTML (.html, .htm): block elements become lines, table rows become "a | b | c" lines."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from index.config import Settings
from index.ingest.cleanup import join_cells
from index.ingest.text import decode

_DROP = {
    "script", "style", "nav", "header", "footer", "noscript", "template", "iframe", "head", "svg",
    "button", "select",
}
_BLOCK = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "main", "ol", "p", "pre", "section", "summary", "ul",
}
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252"}  # as browsers do
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([-\w.:]+)", re.I)


def read(data: bytes, settings: Settings) -> str:
    soup = BeautifulSoup(_decode(data), "lxml")
    out: list[str] = []
    _walk(soup, out)
    return "".join(out)


def _decode(data: bytes) -> str:
    """The declared charset when it decodes cleanly, else the text reader's detection."""
    if m := _CHARSET.search(data[:4096]):
        declared = m.group(1).decode("ascii").lower()
        try:
            return data.decode(_SUPERSETS.get(declared, declared))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _walk(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            out.append(re.sub(r"\s+", " ", str(child)))  # source line breaks are not text breaks
        elif child.name in _DROP:
            continue
        elif child.name == "br":
            out.append("\n")
        elif child.name == "table":
            out.extend(["\n", *(f"{row}\n" for row in _rows(child)), "\n"])
        elif child.name == "pre":
            out.extend(["\n", child.get_text(), "\n"])
        elif child.name in _BLOCK:
            out.append("\n")
            _walk(child, out)
            out.append("\n")
        else:
            _walk(child, out)


def _rows(table: Tag) -> list[str]:
    """One line per row; a cell spanning columns is written once."""
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:  # rows of a nested table belong to its cell
            continue
        cells = [_cell_text(td) for td in tr.find_all(["td", "th"], recursive=False)]
        if row := join_cells(cells):
            rows.append(row)
    return rows


def _cell_text(cell: Tag) -> str:
    parts: list[str] = []
    _walk(cell, parts)
    return re.sub(r"\s+", " ", "".join(parts)).strip()

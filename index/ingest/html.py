"""HTML (.html, .htm): block elements become lines, table rows become "a | b | c" lines."""

from __future__ import annotations

import re

from bs4 import (
    BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag,
)

from index.config import Settings
from index.ingest import IngestError
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
_END_OF_BLOCK = object()  # pushed on the walk's stack: emit the line break that closes a block


def read(data: bytes, settings: Settings) -> str:
    soup = BeautifulSoup(_decode(data), "lxml")
    try:
        return _text(soup)
    except RecursionError as e:  # tables nested inside table cells thousands deep
        raise IngestError("the HTML is nested too deeply to read", "nested") from e


def _decode(data: bytes) -> str:
    """The declared charset when it decodes cleanly, else the text reader's detection."""
    if m := _CHARSET.search(data[:4096]):
        declared = m.group(1).decode("ascii").lower()
        try:
            return data.decode(_SUPERSETS.get(declared, declared))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)



def _text(node: Tag) -> str:
    """The text under ``node`` with a line break around each block; a loop, not recursion, so
    deeply nested pages cannot exhaust the stack."""
    out: list[str] = []
    stack: list = list(reversed(node.contents))
    while stack:
        child = stack.pop()
        if child is _END_OF_BLOCK:
            out.append("\n")
        elif isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        elif isinstance(child, NavigableString):
            out.append(re.sub(r"\s+", " ", str(child)))  # source line breaks are not text breaks
        elif child.name in _DROP:
            continue
        elif child.name == "br":
            out.append("\n")
        elif child.name == "table":
            out.extend(["\n", *(f"{row}\n" for row in _rows(child))])
        elif child.name == "pre":
            out.extend(["\n", child.get_text(), "\n"])
        else:
            if child.name in _BLOCK:
                out.append("\n")
                stack.append(_END_OF_BLOCK)
            stack.extend(reversed(child.contents))
    return "".join(out)


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
    return re.sub(r"\s+", " ", _text(cell)).strip()

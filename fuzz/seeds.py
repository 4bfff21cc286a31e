"""Seed files and the one property every ingestion fuzzer checks.

    for suffix, data in seeds(): ...            # small valid .txt/.md/.html/.pdf/.docx files
    outcome = ingest_one(tmp_dir, ".pdf", data)  # "doc" or "skip: <reason>"; anything else raises

The property: whatever the bytes, `load_document` ends in a Document (which then chunks without
error) or an `IngestError` with a plain, non-empty reason. Any other exception is a bug.
Shared by tests/robustness/test_ingest_fuzz.py (hypothesis) and fuzz/fuzz_ingest.py (atheris).
"""

from __future__ import annotations

import functools
import zipfile
from io import BytesIO
from pathlib import Path

from index.chunking import chunk_document
from index.config import REPO_ROOT, Settings
from index.ingest import SUPPORTED_SUFFIXES, UNEXPECTED, IngestError, load_document

SUFFIXES = sorted(SUPPORTED_SUFFIXES)
# small limits so a fuzzer reaches them: 256 KB files, 20 PDF pages
SETTINGS = Settings().with_(max_file_bytes=256 * 1024, max_pdf_pages=20)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
VI = "Điều 1. Hồ sơ đề nghị UBND tỉnh khen thưởng gửi về Sở Lao động chậm nhất 30/12 hàng năm."
ZH = "第一条 2022年绥宁县残疾人两项补贴标准提高到每人每月80元。"


def ingest_one(folder: Path, suffix: str, data: bytes, settings: Settings = SETTINGS) -> str:
    """Write ``data`` as a file with ``suffix``, read it, chunk it: "doc" or "skip: reason"."""
    path = Path(folder) / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        doc = load_document(path, path.name, settings)
    except IngestError as e:
        assert isinstance(e.reason, str) and e.reason.strip(), f"IngestError without a reason: {e!r}"
        # the readers' last-resort catch: the build goes on, but the reader has a bug
        assert not e.reason.startswith(UNEXPECTED), f"a reader crashed: {e.reason}"
        return f"skip: {e.reason}"
    assert doc.text.strip()
    chunks = chunk_document(doc, max_tokens=settings.chunk_max_tokens, min_chars=settings.chunk_min_chars)
    for c in chunks:
        assert c.doc_id == doc.doc_id and isinstance(c.text, str)
    return "doc"


def pdf_bytes(text: str = VI, pages: int = 1) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if DEJAVU.exists():
        pdf.add_font("body", fname=str(DEJAVU))
        pdf.set_font("body", size=12)
    else:
        pdf.set_font("helvetica", size=12)
        text = text.encode("latin-1", "replace").decode("latin-1")
    for _ in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def encrypted_pdf(data: bytes, user_password: str = "secret", algorithm: str = "RC4-128") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner", algorithm=algorithm)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str = VI) -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("KẾ HOẠCH", 1)
    d.add_paragraph(text)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Đơn vị", "Nhiệm vụ"
    table.cell(1, 0).text, table.cell(1, 1).text = "Sở Y tế", ZH
    out = BytesIO()
    d.save(out)
    return out.getvalue()


def zip_bomb_docx(unpacked_mb: int = 3000) -> bytes:
    """A valid zip whose one member declares ``unpacked_mb`` MB (written as a stored header only,
    so making it costs nothing): the reader must refuse it from the directory, not inflate it."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        # a member of zeros compresses ~1000:1; 20 MB of zeros → ~20 KB deflated
        z.writestr("word/document.xml", b"\0" * (20 * 2**20))
    return out.getvalue()


@functools.cache
def seeds() -> list[tuple[str, bytes]]:
    html = f"<html><head><meta charset='utf-8'><title>KH</title></head><body><h1>KẾ HOẠCH</h1><p>{VI}</p><table><tr><td>a</td><td>{ZH}</td></tr></table></body></html>"
    out = [
        (".txt", (VI + "\n" + ZH + "\n").encode("utf-8")),
        (".txt", (VI + "\n").encode("cp1258", "replace")),
        (".txt", (ZH + "\n").encode("gb18030")),
        (".txt", ("\ufeff" + VI).encode("utf-16-le")),
        (".md", f"# Kế hoạch\n\n## I. Mục tiêu\n\n- {VI}\n\n| a | b |\n|---|---|\n| 1 | {ZH} |\n".encode()),
        (".html", html.encode("utf-8")),
        (".htm", html.encode("gb18030").replace(b"utf-8", b"gb2312")),
        (".pdf", pdf_bytes()),
        (".docx", docx_bytes()),
    ]
    corpus = sorted((REPO_ROOT / "corpus").glob("*.txt"))
    if corpus:
        out.append((".txt", corpus[0].read_bytes()[:8000]))
    return out

"""Reading files into Documents: encodings, formats, cleanup of the bundled seeds, bad input."""

from __future__ import annotations

import subprocess
import time
import unicodedata
import zipfile
from io import BytesIO
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from index.config import REPO_ROOT, Settings
from index.ingest import SUPPORTED_SUFFIXES, IngestError, iter_corpus, load_document
from index.ingest.cleanup import clean
from index.ingest.text import decode

CORPUS = REPO_ROOT / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt"))
SETTINGS = Settings()
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# Real paragraphs from the bundled documents
VI_PARAGRAPH = (CORPUS / "000_f3a764e6249851b7.txt").read_text(encoding="utf-8").splitlines()[12]
ZH_PARAGRAPH = (CORPUS / "004_07941aeda37bff36.txt").read_text(encoding="utf-8").splitlines()[38]


def _load(tmp_path: Path, name: str, data: bytes, settings: Settings = SETTINGS):
    path = tmp_path / name
    path.write_bytes(data)
    return load_document(path, name, settings)


def _cleaned(name: str) -> list[str]:
    return load_document(CORPUS / name, name, SETTINGS).text.splitlines()


# --- encodings -----------------------------------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letter (ê, ơ, …) + combining tone mark."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258")


ENCODINGS = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8 with BOM": lambda s: s.encode("utf-8-sig"),
    "utf-16 LE with BOM": lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
    "utf-16 BE with BOM": lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
    "utf-16 LE": lambda s: s.encode("utf-16-le"),
    "utf-16 BE": lambda s: s.encode("utf-16-be"),
    "gb18030": lambda s: s.encode("gb18030"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("paragraph", [VI_PARAGRAPH, ZH_PARAGRAPH], ids=["vi", "zh"])
def test_encodings_round_trip_real_paragraphs(tmp_path, encoding, paragraph):
    doc = _load(tmp_path, "p.txt", ENCODINGS[encoding](paragraph + "\n"))
    assert doc.text == paragraph


def test_cp1258_vietnamese_round_trips_with_composed_tone_marks(tmp_path):
    # (Windows-1258 has no Chinese characters: only the Vietnamese paragraph applies)
    raw = _cp1258(VI_PARAGRAPH)
    assert "\u0301".encode("cp1258") in raw  # really written with combining marks
    doc = _load(tmp_path, "p.txt", raw + b"\r\n")
    assert doc.text == VI_PARAGRAPH
    assert unicodedata.is_normalized("NFC", doc.text)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (_cp1258("Kế hoạch số 161/KH-UBND"), "Kế hoạch số 161/KH-UBND"),
        (_cp1258("Hà Tĩnh"), "Hà Tĩnh"),
        ("关于全面放开养老服务市场".encode("gb18030"), "关于全面放开养老服务市场"),
        ("（绥宁县民政局）".encode("gb18030"), "（绥宁县民政局）"),
    ],
)
def test_short_texts_are_not_mislabelled(raw, expected):
    assert decode(raw) == expected


# --- Markdown and plain text ---------------------------------------------------------------------


def test_markdown_marks_are_removed_and_list_dashes_kept(tmp_path):
    md = (
        "## **KẾ HOẠCH**\n\n"
        "*Hà Tĩnh, ngày 22 tháng 10 năm 2020*\n\n"
        "#### **I. MỤC TIÊU**\n\n"
        "- Tổ chức __tuyên truyền__, xem [Cổng thông tin](https://example.vn/a_(b)) và `mã QR`;\n"
        "![logo](logo.png)\n\n"
        "---\n\n"
        "* Hồ sơ đề nghị khen thưởng bao gồm:\n"
        "***Hồ sơ gồm:**\n"
        "(3) Hồ sơ gửi về Sở (**chậm nhất 30/12 hàng năm**).\n\n"
        "| TT | Nội dung | Kinh phí |\n|---|:---|---:|\n| 1 | Khảo sát | 100 |\n"
    )
    lines = _load(tmp_path, "plan.md", md.encode()).text.splitlines()
    assert lines == [
        "KẾ HOẠCH",
        "Hà Tĩnh, ngày 22 tháng 10 năm 2020",
        "I. MỤC TIÊU",
        "- Tổ chức tuyên truyền, xem Cổng thông tin và mã QR;",
        "* Hồ sơ đề nghị khen thưởng bao gồm:",
        "Hồ sơ gồm:",
        "(3) Hồ sơ gửi về Sở (chậm nhất 30/12 hàng năm).",
        "TT | Nội dung | Kinh phí",
        "1 | Khảo sát | 100",
    ]


def test_whitespace_and_control_characters_are_normalized():
    text = "Số:\u00a0385/KH-UBND\r\nKẾ\u200b HOẠCH\x07\r\n\u3000\u3000一、总体要求\ufeff"
    assert clean(text) == "Số: 385/KH-UBND\nKẾ HOẠCH\n一、总体要求"


def test_sentences_broken_across_blank_lines_are_rejoined_but_headings_are_not():
    text = (
        "- Phấn đấu đến năm 2020 nâng dần\n\ntỷ lệ xã đạt chuẩn.\n\n"
        "a) Giai đoạn 2020 - 2025\n\nb) Giai đoạn 2025 - 2030\n\n"
        "创新服务设施供给方式。加强社区综合服\n\n务设施建设。\n\n"
        "（二）基本原则\n\n深化改革，放开市场。\n\n"
        "成绩六：坚决守住民政领域安全底线\n一是深入开展房屋安全排查整治。"
    )
    assert clean(text).splitlines() == [
        "- Phấn đấu đến năm 2020 nâng dần tỷ lệ xã đạt chuẩn.",
        "a) Giai đoạn 2020 - 2025",
        "b) Giai đoạn 2025 - 2030",
        "创新服务设施供给方式。加强社区综合服务设施建设。",
        "（二）基本原则",
        "深化改革，放开市场。",
        "成绩六：坚决守住民政领域安全底线",
        "一是深入开展房屋安全排查整治。",
    ]


# --- HTML ----------------------------------------------------------------------------------------


def test_html_tables_entities_and_scripts(tmp_path):
    page = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title>
    <style>p { color: red }</style></head><body>
    <nav>Trang chủ | Tin tức</nav><header>Cổng thông tin điện tử</header>
    <h1>KẾ HOẠCH</h1>
    <p>Triển khai   thực hiện &amp; quản lý&nbsp;hệ thống &ldquo;truy xuất&rdquo;
       giai đoạn 2020&ndash;2025.</p>
    <script>document.write("<p>quảng cáo</p>")</script><!-- ghi chú -->
    <table>
      <tr><th>TT</th><th colspan="2">Nội dung hoạt động</th></tr>
      <tr><td>1</td><td>Khảo sát đầu vào</td><td>100</td></tr>
      <tr><td>2</td><td><p>Truyền thông,</p><p>vận động</p></td><td>160</td></tr>
    </table>
    <ul><li>Sở Tài chính;</li><li>Sở Y tế.</li></ul>
    <footer>Bản quyền thuộc về UBND tỉnh</footer></body></html>"""
    lines = _load(tmp_path, "p.html", page.encode()).text.splitlines()
    assert lines == [
        "KẾ HOẠCH",
        "Triển khai thực hiện & quản lý hệ thống “truy xuất” giai đoạn 2020–2025.",
        "TT | Nội dung hoạt động",
        "1 | Khảo sát đầu vào | 100",
        "2 | Truyền thông, vận động | 160",
        "Sở Tài chính;",
        "Sở Y tế.",
    ]


def test_html_declared_legacy_charset(tmp_path):
    page = '<html><head><meta charset="gb2312"></head><body><p>关于全面放开养老服务市场</p></body></html>'
    assert _load(tmp_path, "p.htm", page.encode("gb18030")).text == "关于全面放开养老服务市场"


# --- PDF -----------------------------------------------------------------------------------------

PARAGRAPH_VI = (
    "Thanh Hóa là một trong những tỉnh có tỷ số giới tính khi sinh khá cao (115 nam/100 nữ) so với "
    "mức trung bình trong cả nước, với quy mô dân số lớn và tỷ lệ phụ nữ trong độ tuổi sinh đẻ cao."
)


class _Plan(FPDF):
    def header(self):
        self.set_font("body", size=9)
        self.cell(0, 6, "UBND TỈNH THANH HÓA - Kế hoạch 161/KH-UBND", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self):
        self.set_y(-15)
        self.set_font("body", size=9)
        self.cell(0, 10, f"Trang {self.page_no()}", align="C")


def _pdf(paragraphs: list[str], font: Path = DEJAVU, furniture: bool = True) -> bytes:
    pdf = _Plan() if furniture else FPDF()
    pdf.add_font("body", fname=str(font))
    pdf.set_font("body", size=12)
    pdf.add_page()
    for paragraph in paragraphs:
        pdf.multi_cell(0, 7, paragraph, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _encrypt(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVuSans.ttf is not installed")
def test_pdf_text_without_page_furniture_and_with_wrapped_lines_joined(tmp_path):
    paragraphs = ["KẾ HOẠCH", *(f"{i}. {PARAGRAPH_VI}" for i in range(1, 31))]
    data = _pdf(paragraphs)
    assert len(PdfReader(BytesIO(data)).pages) >= 3
    raw_lines = PdfReader(BytesIO(data)).pages[0].extract_text().splitlines()
    assert len(raw_lines) > len(paragraphs[:10])  # the layout really wrapped the paragraphs

    lines = _load(tmp_path, "plan.pdf", data).text.splitlines()
    assert lines == paragraphs  # each wrapped paragraph is one line again, across page breaks too
    assert not any("Trang" in line or "UBND TỈNH" in line for line in lines)


def _cjk_font() -> Path | None:
    try:
        command = ["fc-list", ":lang=zh", "file"]
        listing = subprocess.run(command, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    fonts = [Path(line.split(":")[0].strip()) for line in listing.splitlines()]
    return next((f for f in fonts if f.suffix.lower() in (".ttf", ".otf")), None)


def test_pdf_chinese_wrapped_lines_joined_without_spaces(tmp_path):
    font = _cjk_font()
    if font is None:
        pytest.skip("no CJK TrueType font on this machine (fc-list :lang=zh finds none)")
    data = _pdf([ZH_PARAGRAPH], font=font, furniture=False)
    assert _load(tmp_path, "zh.pdf", data).text == ZH_PARAGRAPH


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVuSans.ttf is not installed")
def test_encrypted_pdf_needs_a_password(tmp_path):
    with pytest.raises(IngestError, match="the PDF is encrypted and needs a password"):
        _load(tmp_path, "locked.pdf", _encrypt(_pdf([PARAGRAPH_VI]), user_password="secret"))


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVuSans.ttf is not installed")
def test_pdf_encrypted_only_against_editing_opens_with_the_empty_password(tmp_path):
    doc = _load(tmp_path, "owner-only.pdf", _encrypt(_pdf([PARAGRAPH_VI]), user_password=""))
    assert PARAGRAPH_VI in doc.text


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVuSans.ttf is not installed")
def test_truncated_pdf_is_not_a_valid_pdf(tmp_path):
    data = _pdf([PARAGRAPH_VI])
    with pytest.raises(IngestError, match=r"not a valid PDF \(.+\)"):
        _load(tmp_path, "broken.pdf", data[: len(data) // 2])


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVuSans.ttf is not installed")
def test_pdf_over_the_page_limit(tmp_path):
    data = _pdf([f"{i}. {PARAGRAPH_VI}" for i in range(30)])
    with pytest.raises(IngestError, match="more than the limit of 1"):
        _load(tmp_path, "long.pdf", data, SETTINGS.with_(max_pdf_pages=1))


def test_pdf_without_text_looks_scanned(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # an image-like page: no text layer
    with pytest.raises(IngestError, match=r"no text could be extracted \(scanned PDF\?\)"):
        _load(tmp_path, "scan.pdf", bytes(pdf.output()))


# --- DOCX ----------------------------------------------------------------------------------------


def _docx() -> bytes:
    d = docx.Document()
    d.add_heading("KẾ HOẠCH", level=1)
    d.add_paragraph("Triển khai thực hiện Quyết định số 34/2014/QĐ-TTg.")
    d.add_heading("III. Kinh phí", level=2)
    table = d.add_table(rows=4, cols=3)
    rows = [
        ("TT", "Nội dung", ""), ("1", "Khảo sát đầu vào", "100"), ("", "Truyền thông", "160"), ("", "Tổng", "260"),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Nội dung và kinh phí"  # spans two columns
    table.cell(1, 0).merge(table.cell(2, 0)).text = "1"  # spans two rows
    d.add_paragraph("Sau bảng là đoạn kết.")
    out = BytesIO()
    d.save(out)
    return out.getvalue()


def test_docx_paragraphs_headings_and_tables_in_body_order(tmp_path):
    lines = _load(tmp_path, "plan.docx", _docx()).text.splitlines()
    assert lines == [
        "KẾ HOẠCH",
        "Triển khai thực hiện Quyết định số 34/2014/QĐ-TTg.",
        "III. Kinh phí",
        "TT | Nội dung và kinh phí",  # the merged heading cell once, not twice
        "1 | Khảo sát đầu vào | 100",
        "Truyền thông | 160",  # the row the "1" spans does not repeat it
        "Tổng | 260",
        "Sau bảng là đoạn kết.",
    ]


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path):
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * 5_000_000)
    settings = SETTINGS.with_(max_file_bytes=100_000)  # → at most 1 MB unpacked
    assert len(out.getvalue()) < settings.max_file_bytes
    with pytest.raises(IngestError, match="zip bomb"):
        _load(tmp_path, "bomb.docx", out.getvalue(), settings)


def test_docx_that_is_not_a_zip(tmp_path):
    with pytest.raises(IngestError, match="not a valid DOCX"):
        _load(tmp_path, "fake.docx", b"This is not a Word file.")


# --- plain errors --------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    with pytest.raises(IngestError, match="^empty file$"):
        _load(tmp_path, "empty.txt", b"")


def test_unsupported_suffix(tmp_path):
    with pytest.raises(IngestError, match=r"^unsupported file type \.xyz$"):
        _load(tmp_path, "data.xyz", b"some bytes")
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx"} == SUPPORTED_SUFFIXES


def test_oversized_file(tmp_path):
    with pytest.raises(IngestError, match="^file is larger than 100 bytes$"):
        _load(tmp_path, "big.txt", b"x" * 101, SETTINGS.with_(max_file_bytes=100))
    sparse = tmp_path / "huge.pdf"
    with sparse.open("wb") as f:
        f.truncate(2**20 + 1)
    with pytest.raises(IngestError, match="^file is larger than 1 MB$"):
        load_document(sparse, "huge.pdf", SETTINGS.with_(max_file_bytes=2**20))


def test_iter_corpus_yields_documents_and_errors_in_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".cache").mkdir()
    (tmp_path / "b_plan.txt").write_text("Số: 12/KH-UBND\nKẾ HOẠCH\nTriển khai.", encoding="utf-8")
    (tmp_path / "a_broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (tmp_path / "sub" / "c.md").write_text("# Tiêu đề\n\nNội dung.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("bí mật", encoding="utf-8")
    (tmp_path / ".cache" / "x.txt").write_text("bộ nhớ đệm", encoding="utf-8")

    results = list(iter_corpus(tmp_path, SETTINGS))
    names = [p.relative_to(tmp_path).as_posix() for p, _ in results]
    assert names == ["a_broken.pdf", "b_plan.txt", "sub/c.md"]  # hidden files and folders skipped
    assert isinstance(results[0][1], IngestError) and "not a valid PDF" in str(results[0][1])
    assert results[1][1].doc_id == "b_plan.txt" and results[1][1].meta.number == "12/KH-UBND"
    assert results[2][1].doc_id == "sub/c.md"


# --- the bundled seeds ---------------------------------------------------------------------------


def test_seeds_clean_fast_and_tidy():
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    start = time.perf_counter()
    cleaned = [clean(t) for t in texts]
    assert time.perf_counter() - start < 1.0
    for text in cleaned:
        assert text and "\n\n" not in text and unicodedata.is_normalized("NFC", text)
        assert not any(mark in text for mark in ("**", "##", "\t", "\u3000", "\u00a0"))
        assert clean(text) == text  # cleaning is idempotent: cleaned text can be cleaned again


def test_thanh_hoa_tables_rebuilt_and_related_documents_dropped():
    lines = _cleaned("000_f3a764e6249851b7.txt")
    assert "Số hiệu: | 161/KH-UBND | Loại văn bản: | Văn bản khác" in lines
    assert "TT | Nội dung hoạt động | Kinh phí địa phương" in lines
    assert "2016 | 2017 | 2018 | 2019 | 2020 | Tổng" in lines
    assert "Tổng | 380 | 1,266 | 1,256 | 1,256 | 1,286 | 5,444" in lines
    assert "1 | Khảo sát đầu vào | 100 | | | | | 100" in lines
    assert "8 | Hoạt động về tổ chức, quản lý, điều hành | 20 | 40 | 40 | 40 | 40 | 180" in lines
    # the last row of the budget table ends the text: the related-documents list is gone
    assert lines[-1] == "9 | Tổng kết giai đoạn | | | | | 30 | 30"
    text = "\n".join(lines)
    assert "Cập nhật:" not in text and "Chỉ thị 04/CT-BYT năm 2017" not in text
    assert "KT. CHỦ TỊCH" not in text
    assert any(line.startswith("UBND tỉnh yêu cầu các sở, ban, ngành liên quan") for line in lines)


def test_kon_tum_rejoined_and_signature_dropped():
    lines = _cleaned("001_3219cb14693d0162.txt")
    assert lines[3] == (
        "Triển khai thực hiện Quyết định số 34/2014/QĐ-TTg, ngày 30/5/2014 của Thủ tướng Chính phủ "
        "về quy định tiêu chuẩn xã, phường, thị trấn phù hợp với trẻ em"
    )
    assert any("thực hiện nâng dần tỷ lệ xã, phường, thị trấn được công nhận" in line for line in lines)
    assert "Hồ sơ gồm:" in lines and "* Hồ sơ đề nghị UBND tỉnh khen thưởng bao gồm:" in lines
    text = "\n".join(lines)
    for gone in ("Nơi nhận", "Bộ LĐTBXH (B/c)", "Lưu: VT", "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Lê Thị"):
        assert gone not in text
    assert lines[-1].startswith("Căn cứ Kế hoạch này yêu cầu các sở, ban, ngành")


def test_ha_tinh_markdown_stripped():
    lines = _cleaned("002_5e7dc1d007970a25.txt")
    assert lines[:3] == ["Số: 385 /KH-UBND", "Hà Tĩnh, ngày 22 tháng 10 năm 2020", "KẾ HOẠCH"]
    assert "I. MỤC TIÊU" in lines and "b) Giai đoạn 2025 - 2030" in lines and "2. Sở Tài chính" in lines
    assert any("truy xuất nguồn gốc đến các tổ chức, cá nhân có sản phẩm" in line for line in lines)
    text = "\n".join(lines)
    assert not any(gone in text for gone in ("Nơi nhận", "<sub>", "Đặng Quốc Vinh", "TM. ỦY BAN"))
    assert lines[-1].startswith("- Trong quá trình thực hiện nếu có khó khăn")


def test_suining_report_tab_tables_rebuilt():
    lines = _cleaned("003_64bc9481ac27c912.txt")
    assert "三公经费 | 3.45 | 3 | 2.3385" in lines
    assert "1、业务工作经费 | 766 | | 221.66" in lines
    assert "绩效指标（90分） | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施" in lines
    assert "成绩六：坚决守住民政领域安全底线" in lines  # a heading is not glued to the next line
    assert lines[-1] == "3.三级绩效指标按需自行增减行。个别不涉及的二级指标可删除不要。"


def test_chenzhou_page_chrome_dropped_and_content_kept():
    lines = _cleaned("004_07941aeda37bff36.txt")
    text = "\n".join(lines)
    for chrome in ("扫一扫", "打印", "分享", "相关文章", "网站地图", "主办单位", "联系电话", "公网安备",
                   "ICP备", "网站标识码", "此件主动公开", "文档附件", ".doc", "»", "统一登记号", "签署日期"):
        assert chrome not in text, chrome
    assert lines[-3:] == ["附件：重点任务分工及进度安排表", "郴州市人民政府办公室", "2018年7月6日"]
    assert lines[-4].startswith("(二十) 加强督促落实。")
    assert "文号：郴政办发〔2018〕18号" in lines
    assert any("加强社区综合服务设施建设。新建城区" in line for line in lines)
    assert lines[lines.index("（二）基本原则") + 1].startswith("深化改革，放开市场。")

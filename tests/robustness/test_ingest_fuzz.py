"""Fuzzed ingestion: whatever bytes arrive, a file ends as a Document or a clear skip — no crash,
no hang, and the index built next to it is unchanged.

Property (fuzz/seeds.py: ingest_one): `load_document` returns a Document that chunks without error,
or raises IngestError with a plain reason; every input within a time limit. Inputs: random bytes
under every suffix, valid seed files of every type truncated / bit-flipped / spliced, text in NFD,
mixed encodings, control characters, 1 MB lines, encrypted PDFs, DOCX zip bombs, files over the
size and page limits. The long run is fuzz/run_fuzz.py (atheris); this is the bounded version.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.seeds import (
    SETTINGS, SUFFIXES, VI, ZH, docx_bytes, encrypted_pdf, ingest_one, pdf_bytes, seeds, zip_bomb_docx,
)
from index.ingest import IngestError, load_document

from .conftest import TALLY, time_limit

LIMIT = 20.0  # seconds any one file may take (the slowest real case, a 1 MB line, takes ~1 s)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
_TMP = Path(tempfile.mkdtemp(prefix="policyqa-hyp-"))


def check(suffix: str, data: bytes, name: str) -> str:
    TALLY[f"ingestion inputs (hypothesis): {name}"] += 1
    with time_limit(LIMIT):
        return ingest_one(_TMP, suffix, data)


@FUZZ
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=4096))
def test_random_bytes_under_every_suffix(suffix, data):
    check(suffix, data, "random bytes")


@st.composite
def mutated_seed(draw):
    """A valid seed file, then truncated, bit-flipped, spliced with junk, or its bytes shuffled."""
    suffix, data = draw(st.sampled_from(seeds()))
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "overwrite"]))
        if not buf:
            break
        at = draw(st.integers(0, len(buf) - 1))
        if op == "truncate":
            del buf[at:]
        elif op == "flip":
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del buf[at:at + draw(st.integers(1, 256))]
        else:
            junk = draw(st.binary(min_size=1, max_size=32))
            buf[at:at + len(junk)] = junk
    # a mutated file may also arrive under another suffix (a PDF named .docx …)
    suffix = draw(st.sampled_from([suffix, suffix, *SUFFIXES]))
    return suffix, bytes(buf)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(mutated_seed())
def test_truncated_and_corrupted_files_of_every_format(case):
    suffix, data = case
    check(suffix, data, "corrupted seeds")


@FUZZ
@given(text=st.text(min_size=1, max_size=2000), form=st.sampled_from(["NFC", "NFD", "NFKD"]),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "gb18030", "cp1258"]),
       suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_unicode_text_in_any_normal_form_and_encoding(text, form, encoding, suffix):
    data = unicodedata.normalize(form, text).encode(encoding, errors="replace")
    check(suffix, data, "unicode text")


@FUZZ
@given(parts=st.lists(st.tuples(st.sampled_from([VI, ZH, "Plan 2020 — budget", "\x00\x07\x1b[31m\x7f\x85"]),
                                st.sampled_from(["utf-8", "gb18030", "cp1258", "utf-16-le", "latin-1"])),
                      min_size=1, max_size=8),
       controls=st.text(alphabet=st.characters(categories=["Cc", "Cf", "Co", "Zl", "Zp"]), max_size=50))
def test_mixed_encodings_and_control_characters(parts, controls):
    data = b"\n".join(t.encode(enc, errors="replace") for t, enc in parts) + controls.encode("utf-8", "surrogatepass")
    check(".txt", data, "mixed encodings")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
@pytest.mark.parametrize("line", [VI, ZH, "a", "\u0300" * 3])
def test_one_megabyte_line(suffix, line):
    data = (line * (2**20 // len(line.encode()) + 1)).encode("utf-8")[: 2**20]
    data = data.decode("utf-8", "ignore").encode("utf-8")
    outcome = check(suffix, data, "1 MB lines")
    assert outcome == "doc" or outcome.startswith("skip: ")


def test_nfd_text_reads_as_nfc():
    data = unicodedata.normalize("NFD", VI).encode("utf-8")
    path = _TMP / "nfd.txt"
    path.write_bytes(data)
    assert load_document(path, "nfd.txt", SETTINGS).text == VI


@pytest.mark.parametrize("algorithm", ["RC4-40", "RC4-128", "AES-128", "AES-256"])
def test_encrypted_pdfs_are_skipped_with_a_reason(algorithm):
    data = pdf_bytes()
    try:
        locked = encrypted_pdf(data, "secret", algorithm)
    except Exception as e:  # AES needs the 'cryptography' package to write, too
        pytest.skip(f"cannot make an {algorithm} PDF here: {e}")
    outcome = check(".pdf", locked, "encrypted PDFs")
    assert outcome.startswith("skip: ") and ("encrypted" in outcome), outcome


@pytest.mark.parametrize("n", [1, 7, 100, 1000])
def test_truncated_pdf_at_every_scale(n):
    data = pdf_bytes(pages=3)
    for cut in range(0, len(data), max(1, len(data) // n))[:200]:
        check(".pdf", data[:cut], "truncated PDFs")


def test_pdf_over_the_page_limit_is_skipped():
    outcome = check(".pdf", pdf_bytes(pages=SETTINGS.max_pdf_pages + 1), "page limit")
    assert "pages, more than the limit" in outcome


def test_docx_zip_bomb_is_skipped_without_inflating():
    settings = SETTINGS.with_(max_file_bytes=1024 * 1024)  # 10 MB unpacked at most
    bomb = zip_bomb_docx()
    assert len(bomb) < settings.max_file_bytes
    with time_limit(5):
        outcome = ingest_one(_TMP, ".docx", bomb, settings)
    TALLY["ingestion inputs (hypothesis): zip bombs"] += 1
    assert "zip bomb" in outcome, outcome


def test_docx_with_a_forged_directory_is_skipped():
    """A central directory that lies about sizes: zipfile stops at the declared size."""
    good = docx_bytes()
    forged = good.replace(b"word/document.xml", b"word/document.xmX")
    outcome = check(".docx", forged, "forged DOCX")
    assert outcome.startswith("skip: "), outcome


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_files_over_the_size_limit_are_skipped_unread(suffix):
    outcome = check(suffix, b"x" * (SETTINGS.max_file_bytes + 1), "size limit")
    assert outcome.startswith("skip: file is larger than"), outcome


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("data", [b"", b" \n\t ", b"\x00", b"\xff\xfe", b"%PDF-1.7\n", b"PK\x03\x04"])
def test_tiny_and_empty_files(suffix, data):
    outcome = check(suffix, data, "tiny files")
    if suffix in (".pdf", ".docx") or not any(chr(b).isalnum() for b in data):
        assert outcome.startswith("skip: "), outcome  # nothing readable: a skip, with a reason
    # "%PDF-1.7" named .txt is a (short) text, and may be read as one


def test_deeply_nested_html_is_read_or_skipped():
    data = ("<table><tr><td>" * 5000 + VI + "</td></tr></table>" * 5000).encode()
    check(".html", data, "deep HTML")
    data = ("<div>" * 100_000 + VI).encode()
    check(".html", data, "deep HTML")


def test_bad_files_leave_the_index_unchanged(fast_settings):
    """A corpus with every kind of broken file builds the same index as the corpus without them,
    and the build names each skipped file with its reason."""
    from index import store
    from index.build import build_index

    from ..conftest import HashingEmbedder

    before = build_index(fast_settings, embedder=HashingEmbedder(), progress=False)
    old = store.load(fast_settings.index_dir)
    bad = {
        "locked.pdf": encrypted_pdf(pdf_bytes(), "secret"),
        "half.pdf": pdf_bytes()[:700],
        "bomb.docx": zip_bomb_docx(),
        "junk.docx": b"PK\x03\x04" + bytes(range(256)) * 4,
        "empty.txt": b"",
        "huge.txt": b"a" * (fast_settings.max_file_bytes + 1),
        "nul.html": b"\x00" * 1000,
    }
    small = fast_settings.with_(max_file_bytes=1024 * 1024)
    (small.corpus_dir / "huge.txt").write_bytes(b"a" * (small.max_file_bytes + 1))
    for name, data in bad.items():
        if name != "huge.txt":
            (small.corpus_dir / name).write_bytes(data)
    after = build_index(small, embedder=HashingEmbedder(), progress=False)
    new = store.load(small.index_dir)
    assert {f for f, _ in after.skipped} == set(bad)
    assert all(reason for _, reason in after.skipped)
    assert new.documents.keys() == old.documents.keys()
    assert [c.to_dict() for c in new.chunks] == [c.to_dict() for c in old.chunks]
    assert after.documents == before.documents and after.chunks == before.chunks
    TALLY["ingestion inputs (hypothesis): broken files in a corpus build"] += len(bad)


def test_ingest_error_is_the_only_failure():
    """The readers' contract, checked on the error type itself: a reason, printable."""
    e = IngestError("empty file")
    assert str(e) == e.reason == "empty file"


# --- findings of the fuzzers, kept as regressions -------------------------------------------------

FINDINGS = Path(__file__).parent / "data"


@pytest.mark.parametrize("path", sorted(FINDINGS.glob("*.bin")), ids=lambda p: p.name)
def test_fuzzer_findings_are_skipped_with_a_reason(path):
    """Each file is an atheris input as fuzz_ingest.py reads it: first byte = file type.
    docx-zip-version-23.5: a DOCX whose zip claims a future format version; zipfile raised
    NotImplementedError, which escaped the reader and stopped the whole build."""
    data = path.read_bytes()
    outcome = check(SUFFIXES[data[0] % len(SUFFIXES)], data[1:], "fuzzer findings")
    assert outcome.startswith("skip: "), outcome


def test_an_unexpected_reader_error_skips_the_file_not_the_build(tmp_path, monkeypatch):
    from index.ingest import UNEXPECTED, text

    def boom(data, settings):
        raise KeyError("bug")

    monkeypatch.setattr(text, "read", boom)
    path = tmp_path / "a.txt"
    path.write_text(VI)
    with pytest.raises(IngestError, match="unexpected error"):
        load_document(path, "a.txt", SETTINGS)
    assert UNEXPECTED

"""The index stores documents' metadata and chunks as JSON: every field must survive the trip."""

from dataclasses import fields

from index.types import Chunk, DocMeta


def test_doc_meta_round_trips_every_field() -> None:
    meta = DocMeta(title="Kế hoạch", lang="vi", number="161/KH-UBND", issuer="UBND tỉnh Kon Tum", place="Kon Tum",
                   date="2016-10-24", period="2016-2020", period_end=2020)
    assert set(meta.to_dict()) == {f.name for f in fields(DocMeta)}
    assert DocMeta.from_dict(meta.to_dict()) == meta


def test_chunk_round_trips_every_field() -> None:
    chunk = Chunk("a.txt#3", "a.txt", 3, "1. Sở Y tế chủ trì.", ("IV. Tổ chức thực hiện", "1. Sở Y tế"))
    d = chunk.to_dict()
    assert set(d) == {f.name for f in fields(Chunk)}
    assert d["section"] == ["IV. Tổ chức thực hiện", "1. Sở Y tế"]  # JSON has lists, not tuples
    assert Chunk.from_dict(d) == chunk

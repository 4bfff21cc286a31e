"""Sentences, and text cut to fit at a sentence or word boundary (index/sentences.py)."""

from __future__ import annotations

import pytest

from index.sentences import clip


@pytest.mark.parametrize("text, limit, expected", [
    ("Sở Y tế chủ trì, phối hợp với các sở ngành kiểm tra trên địa bàn tỉnh Hà Tĩnh", 70,
     "Sở Y tế chủ trì, phối hợp với các sở ngành kiểm tra trên địa bàn tỉnh…"),
    ("Một câu ngắn thôi.", 70, "Một câu ngắn thôi."),
    ("负责社会团体的登记、管理和监督工作，监督社会活动，查处社团组织的违法行为。", 30, "负责社会团体的登记、管理和监督工作，监督社会活动…"),
    ("Lập báo cáo. Gửi hồ sơ về Sở Lao động trước ngày 10 tháng 12 hằng năm", 50, "Lập báo cáo. Gửi hồ sơ về Sở Lao động trước ngày…"),
])
def test_clip_cuts_at_a_sentence_or_word_boundary(text, limit, expected):
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit



def test_clip_keeps_line_breaks():
    assert clip("Chủ trì:\n- lập kế hoạch\n- báo cáo kết quả hằng năm", 30) == "Chủ trì:\n- lập kế hoạch\n- báo…"

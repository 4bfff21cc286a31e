"""Small talk: a message that only greets, thanks or acknowledges is no question."""

import pytest

from index.lang import small_talk


@pytest.mark.parametrize(
    "message",
    ["xin chào", "Chào bot!", "cảm ơn bot nhé", "cam on ban nhieu", "ok cảm ơn nhé", "Dạ", "👍🙏", "?",
     "你好！", "谢谢你", "好的，谢谢", "收到"],
)
def test_a_greeting_thanks_or_emoji_is_small_talk(message):
    assert small_talk(message)


@pytest.mark.parametrize(
    "message",
    ["xin chào, hồ sơ gồm những gì?", "ok vậy lệ phí bao nhiêu", "Chào mừng ngày hội gia đình tổ chức khi nào?",
     "thoi han bao lau", "谢谢，那需要什么材料？", "好多钱？", "你好，补贴标准是多少？", "2020"],
)
def test_a_question_that_opens_with_a_greeting_is_a_question(message):
    assert not small_talk(message)

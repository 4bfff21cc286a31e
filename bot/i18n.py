"""Every user-facing string of the bot, in Vietnamese and Chinese: one dict each.

Strings are Telegram HTML: the fixed text may hold tags, and every ``{placeholder}`` is filled with
an already escaped value by the caller (bot/formatting.py escapes). Labels inside answers (Trả lời,
Nguồn, Mục …) come from the engine (index/lang/*.LABELS), so the CLI and the bot say the same.
"""

from __future__ import annotations

LANGS = ("vi", "zh")
DEFAULT_LANG = "vi"

VI = {
    "lang_name": "Tiếng Việt",
    "start": (
        "Xin chào{name}! Tôi trả lời câu hỏi về các kế hoạch, chính sách của chính quyền "
        "và trích nguyên văn điều khoản, kèm số văn bản và mục.\n"
        "Hãy gõ câu hỏi bằng tiếng Việt (có dấu hay không dấu đều được) hoặc tiếng Trung."
    ),
    "examples": "Thử một câu hỏi mẫu:",
    "example_questions": [
        "Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?",
        "Sở Y tế có trách nhiệm gì trong kế hoạch xã phường phù hợp với trẻ em?",
        "Mục tiêu giảm tỷ số giới tính khi sinh ở Thanh Hóa đến năm 2020 là bao nhiêu?",
    ],
    "help": (
        "<b>Các lệnh</b>\n"
        "/ask &lt;câu hỏi&gt; — hỏi (trong nhóm: gọi @tên_bot, trả lời tin nhắn của bot, hoặc dùng /ask)\n"
        "/docs — danh sách văn bản: số, cơ quan ban hành, ngày, giai đoạn\n"
        "/who &lt;cơ quan&gt; — nhiệm vụ của một cơ quan (chủ trì, phối hợp) theo từng kế hoạch\n"
        "/deadlines — các mốc thời hạn, kèm tệp lịch (.ics)\n"
        "/remind &lt;cơ quan hoặc kế hoạch&gt; — nhắc trước mỗi hạn; /remind off để tắt\n"
        "/new — hỏi sang chuyện khác (câu hỏi ngắn sau một câu trả lời được hiểu là hỏi tiếp về văn bản đó)\n"
        "/lang — đổi ngôn ngữ giao diện\n"
        "/help — các lệnh\n"
        "Quản trị viên: gửi tệp PDF, DOCX, HTML, TXT để thêm văn bản; /reindex, /stats."
    ),
    "who_usage": "Hãy ghi tên cơ quan sau lệnh, ví dụ: /who Sở Y tế",
    "who_none": "Không có cơ quan nào tên «{query}» trong các văn bản.",
    "who_close": "Có phải bạn muốn tìm một trong các cơ quan này?",
    "who_nothing": "{agency}: các văn bản không giao nhiệm vụ hay thời hạn nào.",
    "who_total": "{n} nhiệm vụ và thời hạn trong {docs} văn bản",
    "who_lead": "chủ trì {n}",
    "who_support": "phối hợp {n}",
    "who_deadlines": "{n} thời hạn",
    "who_pick": "Chọn một văn bản để xem từng việc.",
    "plan_ended": "Kế hoạch này áp dụng cho giai đoạn {period}, đã kết thúc.",
    "deadlines_in_force": "Các mốc thời hạn của kế hoạch còn hiệu lực ({n})",
    "deadlines_all": "Các mốc thời hạn, cả kế hoạch đã kết thúc ({n})",
    "deadlines_none": "Không có mốc thời hạn nào của kế hoạch còn hiệu lực.",
    "deadlines_hidden": "Đang ẩn {n} mốc của {plans} kế hoạch đã hết giai đoạn thực hiện.",
    "past": "đã qua",
    "page": "{page}/{pages}",
    "btn_prev": "‹ Trước",
    "btn_next": "Sau ›",
    "btn_back_docs": "↩ Các văn bản",
    "btn_show_ended": "Hiện cả kế hoạch đã kết thúc ({n})",
    "btn_hide_ended": "Ẩn kế hoạch đã kết thúc",
    "list_expired": "Danh sách này không còn lưu lại, bạn hãy gõ lại lệnh nhé.",
    "new_topic": "Được rồi, câu hỏi tiếp theo sẽ được tìm trong tất cả văn bản.",
    "inline_hint": "Gõ câu hỏi về văn bản sau tên bot",
    "inline_not_found": "Không tìm thấy trong các văn bản: hỏi cụ thể hơn trong chat với bot",
    "btn_open_bot": "💬 Hỏi tiếp với bot",
    "remind_usage": (
        "Nhắc trước hạn: /remind &lt;cơ quan hoặc số kế hoạch&gt; [số ngày], ví dụ /remind Sở Y tế 7 "
        "hoặc /remind 385/KH-UBND. Tắt: /remind off"
    ),
    "remind_set": "Đã bật: tôi sẽ nhắc {days} ngày trước mỗi hạn của «{query}» trong các kế hoạch còn hiệu lực ({n} hạn sắp tới).",
    "remind_list": "Các nhắc hạn đang bật:",
    "remind_item": "• {query}: trước {days} ngày",
    "remind_none": "Chưa bật nhắc hạn nào.",
    "remind_off": "Đã tắt {n} nhắc hạn.",
    "remind_unknown": "Không có cơ quan hay kế hoạch nào tên «{query}» trong các văn bản.",
    "remind_too_many": "Mỗi cuộc trò chuyện bật được tối đa {n} nhắc hạn; tắt bớt bằng /remind off.",
    "remind_in": "Nhắc hạn: còn {n} ngày",
    "remind_today": "Nhắc hạn: hôm nay là hạn chót",
    "remind_why": "Tin nhắc này theo đăng ký /remind {query}. Tắt: /remind off",
    "deadlines_file": "Tệp lịch của các mốc trên: mở bằng ứng dụng lịch để thêm vào lịch (mốc hằng năm lặp lại đến hết giai đoạn của kế hoạch).",
    "lang_prompt": "Chọn ngôn ngữ giao diện:",
    "lang_set": "Đã chuyển giao diện sang tiếng Việt.",
    "btn_sources": "📚 Nguồn",
    "btn_section": "📖 Toàn văn mục",
    "btn_up": "👍",
    "btn_down": "👎",
    "btn_file": "📄 Tải văn bản",
    "sources_title": "Các đoạn được trích dẫn",
    "section_title": "Toàn văn mục",
    "section_gone": "Mục này không còn trong kho văn bản (chỉ mục đã được cập nhật).",
    "section_as_file": "Mục này dài, tôi gửi dưới dạng tệp.",
    "answer_expired": "Câu trả lời này không còn lưu lại, bạn hãy hỏi lại nhé.",
    "unknown_button": "Nút này không còn dùng được.",
    "thanks_up": "Cảm ơn bạn đã đánh giá!",
    "thanks_down": "Cảm ơn! Chúng tôi sẽ xem lại câu trả lời này.",
    "throttled": (
        "Bạn gửi hơi nhanh. Vui lòng chờ một chút rồi hỏi tiếp; "
        "các tin nhắn gửi dồn trong lúc này sẽ không được trả lời."
    ),
    "throttled_short": "Vui lòng chờ một chút.",
    "ask_usage": "Hãy viết câu hỏi sau lệnh, ví dụ:\n<code>/ask Hồ sơ đề nghị khen thưởng gửi chậm nhất khi nào?</code>",
    "question_too_long": "Câu hỏi quá dài (tối đa {limit} ký tự). Bạn hãy hỏi ngắn gọn hơn.",
    "text_only": "Tôi chỉ đọc được câu hỏi viết bằng chữ.",
    "small_talk": "Chào bạn! Cứ gõ câu hỏi về văn bản, có dấu hay không dấu đều được, ví dụ:\n«{example}»",
    "docs_title": "Các văn bản hiện có ({n})",
    "docs_empty": "Chưa có văn bản nào trong kho.",
    "doc_open": "mở",
    "issuer": "Cơ quan ban hành",
    "period": "Giai đoạn",
    "ended": "đã kết thúc",
    "doc_gone": "Không tìm thấy văn bản này (có thể đã bị gỡ khỏi kho).",
    "bad_link": "Liên kết này không hợp lệ hoặc đã cũ.",
    "not_admin": "Lệnh này chỉ dành cho quản trị viên.",
    "upload_not_admin": "Chỉ quản trị viên mới được thêm văn bản vào kho. Bạn hãy gửi câu hỏi bằng chữ nhé.",
    "upload_bad_type": "Chỉ nhận tệp {types}.",
    "upload_too_big": "Tệp quá lớn ({size}); giới hạn là {limit}.",
    "upload_checking": "Đã nhận «{name}», đang kiểm tra…",
    "upload_invalid": "Không dùng được tệp «{name}»: {reason}",
    # why a file cannot be used (index/ingest IngestError.code)
    "reason_type": "loại tệp {suffix} không được hỗ trợ",
    "reason_empty": "tệp rỗng",
    "reason_nested": "tệp lồng nhau quá sâu, không đọc được",
    "reason_unexpected": "không đọc được tệp (lỗi không lường trước)",
    "reason_no_text": "không trích được chữ nào từ tệp",
    "reason_scanned": "không trích được chữ nào (có lẽ là PDF quét từ giấy)",
    "reason_unreadable": "không đọc được tệp",
    "reason_too_big": "tệp lớn hơn {limit}",
    "reason_pages": "tệp PDF có {pages} trang, quá giới hạn {limit} trang",
    "reason_invalid": "không phải tệp {kind} hợp lệ (tệp hỏng hoặc không trọn vẹn?)",
    "reason_encrypted": "tệp PDF có mật khẩu",
    "reason_zip_bomb": "tệp DOCX giải nén ra quá lớn",
    "upload_duplicate": "Văn bản này đã có trong kho: {doc}",
    "upload_indexing": "Tệp hợp lệ, đã lưu thành «{name}». Đang cập nhật chỉ mục; trong lúc chờ, bot vẫn trả lời từ chỉ mục cũ…",
    "upload_done": "✅ Đã thêm vào kho và chỉ mục ({seconds:.1f} giây).",
    "upload_failed": "Cập nhật chỉ mục không thành công; tệp chưa được thêm. Chi tiết đã ghi vào nhật ký.",
    "reindex_queued": "Đang có một lần cập nhật chỉ mục khác; lần này sẽ chạy ngay sau đó…",
    "reindex_started": "Đang cập nhật chỉ mục; bot vẫn trả lời từ chỉ mục cũ trong lúc này…",
    "reindex_done": (
        "✅ Chỉ mục đã cập nhật: {documents} văn bản, {chunks} đoạn "
        "({reused} văn bản không đổi, {embedded} đoạn mới được mã hóa) trong {seconds:.1f} giây."
    ),
    "reindex_skipped": "Bỏ qua {name}: {reason}",
    "stats": (
        "<b>Thống kê</b>\n"
        "Văn bản: {documents} · đoạn: {chunks}\n"
        "Chỉ mục: {build}\n"
        "Câu hỏi: {answers} (không tìm thấy: {not_found}) · cuộc trò chuyện: {chats}\n"
        "Đánh giá: 👍 {up} · 👎 {down}\n"
        "Tin nhắn bị giới hạn tốc độ: {throttled}\n"
        "Hoạt động: {uptime}"
    ),
    "error": "Xin lỗi, đã có lỗi xảy ra khi xử lý yêu cầu của bạn. Vui lòng thử lại sau.",
    "commands": {
        "ask": "Hỏi về một kế hoạch, chính sách",
        "docs": "Danh sách văn bản",
        "who": "Nhiệm vụ của một cơ quan",
        "deadlines": "Các mốc thời hạn",
        "remind": "Nhắc trước hạn",
        "new": "Hỏi sang chuyện khác",
        "lang": "Đổi ngôn ngữ",
        "help": "Các lệnh",
    },
}

ZH = {
    "lang_name": "中文",
    "start": (
        "您好{name}！我可以回答有关政府规划、政策文件的问题，并引用原文条款，注明文号和章节。\n"
        "请直接用中文或越南语输入您的问题。"
    ),
    "examples": "试试这些问题：",
    "example_questions": [
        "2022年绥宁县残疾人两项补贴标准提高到多少？",
        "郴州市到2020年养老床位总数要达到多少？",
        "郴州市养老机构的责任单位是哪些？",
    ],
    "help": (
        "<b>命令</b>\n"
        "/ask &lt;问题&gt; — 提问（在群组中：@机器人、回复机器人的消息，或使用 /ask）\n"
        "/docs — 文件列表：文号、发文机关、日期、实施期\n"
        "/who &lt;部门&gt; — 某部门在各文件中的职责（牵头、配合）\n"
        "/deadlines — 各项时限，并附日历文件（.ics）\n"
        "/remind &lt;部门或文件&gt; — 到期前提醒；/remind off 取消\n"
        "/new — 换个话题（回答之后的简短追问默认针对同一文件）\n"
        "/lang — 切换界面语言\n"
        "/help — 命令说明\n"
        "管理员：发送 PDF、DOCX、HTML、TXT 文件以添加文件；/reindex、/stats。"
    ),
    "who_usage": "请在命令后写上部门名称，例如：/who 民政局",
    "who_none": "文件中没有名为“{query}”的部门。",
    "who_close": "您要找的是不是下面这些部门？",
    "who_nothing": "{agency}：文件中没有给它分配职责或期限。",
    "who_total": "{docs}份文件中共{n}项职责和期限",
    "who_lead": "牵头/负责{n}项",
    "who_support": "配合{n}项",
    "who_deadlines": "期限{n}项",
    "who_pick": "选择一份文件查看每一项。",
    "plan_ended": "该文件的实施期（{period}）已结束。",
    "deadlines_in_force": "仍在实施期内的文件的时限（{n}）",
    "deadlines_all": "全部时限，含已结束的文件（{n}）",
    "deadlines_none": "仍在实施期内的文件没有时限。",
    "deadlines_hidden": "已隐藏{plans}份实施期已结束文件的{n}项时限。",
    "past": "已过",
    "page": "{page}/{pages}",
    "btn_prev": "‹ 上一页",
    "btn_next": "下一页 ›",
    "btn_back_docs": "↩ 文件列表",
    "btn_show_ended": "显示已结束的文件（{n}）",
    "btn_hide_ended": "隐藏已结束的文件",
    "list_expired": "这个列表已不再保存，请重新发送命令。",
    "new_topic": "好的，下一个问题将在全部文件中查找。",
    "inline_hint": "在机器人名称后输入关于文件的问题",
    "inline_not_found": "文件中没有找到：到机器人对话里问得更具体些",
    "btn_open_bot": "💬 在机器人对话中继续问",
    "remind_usage": (
        "时限提醒：/remind &lt;部门或文号&gt; [提前天数]，例如 /remind 民政局 7 或 /remind 郴政办发〔2018〕18号。"
        "取消：/remind off"
    ),
    "remind_set": "已开启：仍在实施期内的文件中“{query}”的每项时限，我会提前{days}天提醒（即将到期{n}项）。",
    "remind_list": "已开启的提醒：",
    "remind_item": "• {query}：提前{days}天",
    "remind_none": "还没有开启任何提醒。",
    "remind_off": "已取消{n}项提醒。",
    "remind_unknown": "文件中没有名为“{query}”的部门或文件。",
    "remind_too_many": "每个聊天最多开启{n}项提醒；可用 /remind off 取消。",
    "remind_in": "时限提醒：还有{n}天",
    "remind_today": "时限提醒：今天到期",
    "remind_why": "此提醒来自 /remind {query}。取消：/remind off",
    "deadlines_file": "以上时限的日历文件：用日历应用打开即可添加（每年的时限重复到文件实施期结束）。",
    "lang_prompt": "请选择界面语言：",
    "lang_set": "界面已切换为中文。",
    "btn_sources": "📚 来源",
    "btn_section": "📖 查看本节",
    "btn_up": "👍",
    "btn_down": "👎",
    "btn_file": "📄 下载文件",
    "sources_title": "引用的原文段落",
    "section_title": "本节全文",
    "section_gone": "该章节已不在文件库中（索引已更新）。",
    "section_as_file": "本节较长，以文件形式发送。",
    "answer_expired": "这条答复已过期，请重新提问。",
    "unknown_button": "此按钮已失效。",
    "thanks_up": "感谢您的评价！",
    "thanks_down": "感谢反馈！我们会检查这条答复。",
    "throttled": "您发送得太快了。请稍等片刻再提问；这段时间内连续发送的消息将不会得到回复。",
    "throttled_short": "请稍等片刻。",
    "ask_usage": "请在命令后写出问题，例如：\n<code>/ask 2022年绥宁县残疾人两项补贴标准提高到多少？</code>",
    "question_too_long": "问题太长（最多 {limit} 个字符），请简短一些。",
    "text_only": "我只能读取文字形式的问题。",
    "small_talk": "您好！请直接输入关于政策文件的问题，例如：\n「{example}」",
    "docs_title": "现有文件（{n}）",
    "docs_empty": "文件库中还没有文件。",
    "doc_open": "打开",
    "issuer": "发文机关",
    "period": "实施期",
    "ended": "已结束",
    "doc_gone": "找不到该文件（可能已从文件库中移除）。",
    "bad_link": "该链接无效或已过期。",
    "not_admin": "此命令仅限管理员使用。",
    "upload_not_admin": "只有管理员可以向文件库添加文件。请用文字发送您的问题。",
    "upload_bad_type": "只接受 {types} 文件。",
    "upload_too_big": "文件太大（{size}），上限为 {limit}。",
    "upload_checking": "已收到《{name}》，正在检查……",
    "upload_invalid": "无法使用文件《{name}》：{reason}",
    # 文件无法使用的原因（index/ingest IngestError.code）
    "reason_type": "不支持 {suffix} 类型的文件",
    "reason_empty": "文件为空",
    "reason_nested": "文件嵌套层级过深，无法读取",
    "reason_unexpected": "无法读取文件（意外错误）",
    "reason_no_text": "未能从文件中提取到文字",
    "reason_scanned": "未能提取到文字（可能是扫描版 PDF）",
    "reason_unreadable": "无法读取文件",
    "reason_too_big": "文件大于 {limit}",
    "reason_pages": "PDF 共 {pages} 页，超过 {limit} 页的上限",
    "reason_invalid": "不是有效的 {kind} 文件（文件损坏或不完整？）",
    "reason_encrypted": "PDF 已加密，需要密码",
    "reason_zip_bomb": "DOCX 解压后过大",
    "upload_duplicate": "该文件已在文件库中：{doc}",
    "upload_indexing": "文件有效，已保存为《{name}》。正在更新索引；在此期间机器人仍按旧索引回答……",
    "upload_done": "✅ 已加入文件库并完成索引（{seconds:.1f} 秒）。",
    "upload_failed": "索引更新失败，文件未添加。详情已写入日志。",
    "reindex_queued": "另一次索引更新正在进行，本次将在其后运行……",
    "reindex_started": "正在更新索引；在此期间机器人仍按旧索引回答……",
    "reindex_done": (
        "✅ 索引已更新：{documents} 个文件，{chunks} 个段落"
        "（{reused} 个文件未变，新编码 {embedded} 个段落），用时 {seconds:.1f} 秒。"
    ),
    "reindex_skipped": "已跳过 {name}：{reason}",
    "stats": (
        "<b>统计</b>\n"
        "文件：{documents} · 段落：{chunks}\n"
        "索引：{build}\n"
        "提问：{answers}（未找到：{not_found}）· 会话：{chats}\n"
        "评价：👍 {up} · 👎 {down}\n"
        "被限速的消息：{throttled}\n"
        "运行时间：{uptime}"
    ),
    "error": "抱歉，处理您的请求时出错了。请稍后再试。",
    "commands": {
        "ask": "询问规划、政策",
        "docs": "文件列表",
        "who": "某部门的职责",
        "deadlines": "各项时限",
        "remind": "到期提醒",
        "new": "换个话题",
        "lang": "切换语言",
        "help": "命令说明",
    },
}

STRINGS = {"vi": VI, "zh": ZH}


def t(lang: str, key: str, **values) -> str:
    """The string ``key`` in ``lang`` (Vietnamese for any other language), filled with ``values``."""
    text = STRINGS.get(lang, VI)[key]
    return text.format(**values) if values else text


def lang_from_code(language_code: str | None) -> str:
    """Telegram's language_code ("zh-hans", "vi", "en") → "zh" or "vi" (Vietnamese otherwise)."""
    return "zh" if (language_code or "").lower().startswith("zh") else DEFAULT_LANG

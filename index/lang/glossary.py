"""A bilingual glossary for questions asked across languages (a Chinese question about a Vietnamese
plan, and the reverse).

The small multilingual model does not connect 昆嵩 with Kon Tum or 出生性别比 with "tỷ số giới tính
khi sinh"; Sino-Vietnamese readings and the standard terms of administration do. A question is
expanded with the other language's terms for the phrases it contains, so BM25 and the embedding
model can reach passages in the other language.

Each entry: Vietnamese term(s) | Chinese term(s), alternatives separated by "/". General
vocabulary of provincial plans and administration, not tied to particular documents.
"""

from __future__ import annotations

from functools import lru_cache

from . import vi

ENTRIES = """
# places: Vietnam (Sino-Vietnamese readings)
Hà Nội | 河内
Thành phố Hồ Chí Minh/Hồ Chí Minh | 胡志明市
Hải Phòng | 海防
Đà Nẵng | 岘港
Cần Thơ | 芹苴
Thanh Hóa | 清化
Nghệ An | 乂安/义安
Hà Tĩnh | 河静
Quảng Bình | 广平
Quảng Trị | 广治
Thừa Thiên Huế/Huế | 承天顺化/顺化
Quảng Nam | 广南
Quảng Ngãi | 广义
Bình Định | 平定
Phú Yên | 富安
Khánh Hòa | 庆和
Ninh Thuận | 宁顺
Bình Thuận | 平顺
Kon Tum | 昆嵩
Gia Lai | 嘉莱
Đắk Lắk | 多乐
Đắk Nông | 得农
Lâm Đồng | 林同
Lào Cai | 老街
Hà Giang | 河江
Cao Bằng | 高平
Lạng Sơn | 谅山
Quảng Ninh | 广宁
Thái Nguyên | 太原
Bắc Giang | 北江
Bắc Ninh | 北宁
Hải Dương | 海阳
Hưng Yên | 兴安
Thái Bình | 太平
Nam Định | 南定
Ninh Bình | 宁平
Vĩnh Phúc | 永福
Phú Thọ | 富寿
Tuyên Quang | 宣光
Yên Bái | 安沛
Sơn La | 山罗
Điện Biên | 奠边
Lai Châu | 莱州
Hòa Bình | 和平省
Long An | 隆安
Tiền Giang | 前江
Bến Tre | 槟椥
Vĩnh Long | 永隆
Trà Vinh | 茶荣
Đồng Tháp | 同塔
An Giang | 安江
Kiên Giang | 坚江
Hậu Giang | 后江
Sóc Trăng | 朔庄
Bạc Liêu | 薄辽
Cà Mau | 金瓯
Tây Ninh | 西宁
Bình Dương | 平阳
Bình Phước | 平福
Đồng Nai | 同奈
Bà Rịa - Vũng Tàu/Vũng Tàu | 巴地头顿/头顿
Việt Nam | 越南
# places: China
Trung Quốc | 中国
Hồ Nam | 湖南
Sâm Châu | 郴州
Tuy Ninh | 绥宁
Thiệu Dương | 邵阳
Trường Sa | 长沙
Bắc Kinh | 北京
Thượng Hải | 上海
Quảng Đông | 广东
Quảng Tây | 广西
Vân Nam | 云南
Hồ Bắc | 湖北
Giang Tây | 江西
Quý Châu | 贵州
Tứ Xuyên | 四川
# administration
tỉnh | 省
thành phố | 市
huyện | 县
thị xã | 县级市
xã | 乡/乡镇
phường | 街道
thị trấn | 镇
thôn/làng | 村
Ủy ban nhân dân/UBND | 人民委员会/人民政府/政府
Ủy ban nhân dân tỉnh/UBND tỉnh | 省人民委员会/省人民政府/省政府
Ủy ban nhân dân huyện/UBND huyện | 县人民委员会/县人民政府/县政府
Ủy ban nhân dân xã/UBND xã | 乡人民委员会/乡政府
Hội đồng nhân dân/HĐND | 人民议会/人民代表大会/人大
Chủ tịch | 主席
Thủ tướng Chính phủ/Thủ tướng | 政府总理/总理
Chính phủ | 政府
Sở Y tế/ngành Y tế | 卫生厅/卫生局/卫生健康委员会/卫健委
Bộ Y tế | 卫生部
Sở Tài chính | 财政厅/财政局
Sở Kế hoạch và Đầu tư | 计划投资厅/发展和改革委员会/发改委
Sở Lao động, Thương binh và Xã hội/Sở Lao động - Thương binh và Xã hội/Sở LĐTBXH | 劳动荣军社会厅/人力资源和社会保障局/人社局
Sở Giáo dục và Đào tạo | 教育培训厅/教育局
Sở Tư pháp | 司法厅/司法局
Công an tỉnh/Công an | 公安厅/公安局/公安
Sở Văn hóa, Thể thao và Du lịch | 文化体育旅游厅/文化旅游局/文旅局
Sở Khoa học và Công nghệ | 科学技术厅/科技局/科学技术局
Sở Nông nghiệp và Phát triển nông thôn | 农业农村厅/农业农村局/农业局
Sở Công Thương | 工贸厅/工业和信息化局/商务局
Sở Nội vụ | 内务厅/人事局
Sở Thông tin và Truyền thông | 信息传媒厅/信息传播局
Sở Xây dựng | 建设厅/住房和城乡建设局/住建局
Sở Tài nguyên và Môi trường | 资源环境厅/自然资源局/生态环境局
Ban Chỉ đạo | 指导委员会/领导小组
Mặt trận Tổ quốc | 祖国阵线
Đoàn Thanh niên | 青年团/共青团
Hội Liên hiệp Phụ nữ/Hội Phụ nữ/Hội LHPN | 妇女联合会/妇联
Hội Người cao tuổi | 老年人协会/老龄协会
dân chính/Phòng Lao động - Thương binh và Xã hội | 民政局/民政部门/民政
cơ quan | 机关/部门
đơn vị | 单位
cán bộ | 干部
công chức | 公务员
# plans and their parts
kế hoạch | 计划/规划
đề án | 方案/项目
chương trình | 计划/项目
mục tiêu | 目标
mục tiêu cụ thể | 具体目标
nhiệm vụ | 任务
giải pháp | 措施/解决方案
tổ chức thực hiện | 组织实施
trách nhiệm | 责任/职责
chức năng | 职能
chủ trì | 牵头/主持
phối hợp | 配合/协调
chịu trách nhiệm | 负责
đầu mối | 牵头
hướng dẫn | 指导/指引
triển khai | 开展/实施/部署
thực hiện | 实施/执行
giai đoạn | 阶段/时期
định hướng | 展望/方向
quyết định | 决定
nghị quyết | 决议
chỉ thị | 指示
công văn | 公文
văn bản | 文件
chính sách | 政策
quy định | 规定
# money and figures
kinh phí | 经费/资金
ngân sách | 预算/财政资金
ngân sách nhà nước | 国家预算/财政资金
dự toán | 预算
tổng kinh phí | 总经费/资金总额
nguồn vốn/vốn | 资金来源/资金
chi phí | 费用/支出
thu nhập | 收入
triệu đồng | 百万越南盾/百万盾
tỷ lệ | 比例/比率/率
tỷ số | 比
phần trăm | 百分比/百分之
mức hỗ trợ | 补助标准/补贴标准
số lượng | 数量
tổng số | 总数
# deadlines and reporting
báo cáo | 报告/报送
định kỳ | 定期
hàng năm/hằng năm | 每年/年度
hàng quý | 每季度
hàng tháng | 每月
trước ngày | 之前/前
chậm nhất | 最迟/最晚
thời hạn | 期限
tổng kết | 总结
sơ kết | 小结/中期总结
kiểm tra | 检查
giám sát | 监督
đánh giá | 评估/评价
thanh tra | 督查/检查
# eligibility and papers
hồ sơ | 材料/申请材料/档案
điều kiện | 条件
đối tượng | 对象
tiêu chuẩn | 标准
tiêu chí | 指标/标准
công nhận | 认定/认可
đề nghị | 申请/建议
khen thưởng | 奖励/表彰
tờ trình | 呈文/报告
biên bản | 记录/纪要
hỗ trợ | 支持/补助/扶持/资助
trợ cấp | 补贴/津贴
miễn | 免除/免征
giảm thuế/ưu đãi thuế | 税收优惠
# social policy
người cao tuổi | 老年人/老人
dưỡng lão | 养老
cơ sở dưỡng lão | 养老机构
chăm sóc người cao tuổi | 养老服务/照料老人
giường | 床位/床
điều dưỡng | 护理
phục hồi chức năng | 康复
người khuyết tật | 残疾人
trẻ em | 儿童
trẻ mồ côi | 孤儿
phụ nữ | 妇女
bình đẳng giới | 性别平等
giới tính | 性别
tỷ số giới tính khi sinh | 出生性别比
mất cân bằng giới tính khi sinh/mất cân bằng giới tính | 出生性别比失衡/性别失衡
thai nhi | 胎儿
dân số | 人口
kế hoạch hóa gia đình | 计划生育
sức khỏe sinh sản | 生殖健康
sức khỏe | 健康
y tế | 卫生/医疗
khám chữa bệnh | 医疗/诊疗
bảo hiểm y tế | 医疗保险/医保
bảo hiểm xã hội | 社会保险/社保
trợ giúp xã hội/bảo trợ xã hội | 社会救助
hộ nghèo | 贫困户
nghèo | 贫困
thu nhập thấp | 低收入
an sinh xã hội | 社会保障
phúc lợi | 福利
tang lễ/mai táng | 殡葬
hôn nhân | 婚姻
cộng đồng | 社区
gia đình | 家庭
tình nguyện | 志愿
# economy and traceability
truy xuất nguồn gốc | 追溯/溯源/可追溯
sản phẩm | 产品
hàng hóa | 商品/货物
doanh nghiệp | 企业
hợp tác xã | 合作社
hộ sản xuất | 生产户
nông sản | 农产品
thực phẩm | 食品
an toàn thực phẩm | 食品安全
chất lượng | 质量
tem | 标签/溯源码
mã số mã vạch | 条形码/条码
thị trường | 市场
xuất khẩu | 出口
đầu tư | 投资
đất đai | 土地
thuế | 税
# money, counts and time in figures
nhân dân tệ | 元/人民币
mỗi người | 每人
mỗi tháng | 每月
mỗi năm | 每年
mỗi xã | 每个乡/每乡
tối đa/không quá | 不超过/最多
tối thiểu/ít nhất/không dưới | 不低于/至少/不少于
khoảng | 约/大约
# people, services and facilities
người già/người cao tuổi | 老年人/老人
tại nhà/tại gia | 居家
viện dưỡng lão/nhà dưỡng lão | 养老院/养老机构
trung tâm | 中心
nhà tang lễ | 殡仪馆
hỏa táng | 火化
cán bộ y tế/nhân viên y tế | 医务人员/医护人员
bác sĩ | 医生
trường học | 学校
dự án | 项目
công trình | 工程/项目
xây dựng | 建设
khởi công | 开工
hoàn thành | 完成/建成
vận hành | 运营/运行
quản lý | 管理
nhà nước | 政府/国家
tư nhân | 民办/私人
phòng cháy chữa cháy | 消防
thẩm duyệt/thẩm định | 审核/审查
nghiệm thu | 验收
giấy phép | 许可/许可证
thành lập | 设立/成立
đăng ký kinh doanh/đăng ký | 登记/注册
thủ tục | 手续
nói chuyện chuyên đề/chuyên đề | 专题讲座/讲座/专题
cổng thông tin | 门户网站/信息门户/门户
cơ sở dữ liệu | 数据库
phần mềm | 软件
tổ chức, cá nhân | 组织和个人
sản xuất, kinh doanh | 生产经营
# targets, levels and areas of a plan
duy trì | 维持/保持
mức | 水平
nâng cao | 提高/提升
tăng | 增加/增长
giảm | 降低/减少
đạt | 达到
phấn đấu | 力争/争取
bắt buộc | 强制
kết quả | 结果/成果
hiệu quả | 效果/成效
cấp tỉnh | 省级
cấp huyện | 县级
cấp xã | 乡级
cấp cơ sở | 基层
nông thôn | 农村
đô thị | 城镇/城市
miền núi | 山区
vùng sâu, vùng xa | 偏远地区
đặc biệt khó khăn | 特别困难/特困
dân tộc thiểu số | 少数民族
người dân | 群众/居民
lao động | 劳动力
việc làm | 就业
giáo dục | 教育
môi trường | 环境
phòng chống | 防治/防控
dịch bệnh | 疫情/疫病
ứng dụng | 应用
công nghệ thông tin | 信息技术
# communication
tuyên truyền | 宣传
tờ rơi | 宣传单/传单
tập huấn | 培训
đào tạo | 培训/教育
hội nghị | 会议
hội thảo | 研讨会
câu lạc bộ | 俱乐部
truyền thông | 传播/宣传/媒体
báo chí | 新闻/报刊
phát thanh | 广播
truyền hình | 电视
"""


def _parse(text: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        vi_part, zh_part = (part.strip() for part in line.split("|"))
        entries.append((tuple(t.strip() for t in vi_part.split("/")), tuple(t.strip() for t in zh_part.split("/"))))
    return entries


@lru_cache(maxsize=1)
def _tables():
    """vi syllable sequences → zh terms, and zh terms → vi terms, longest keys first."""
    vi_to_zh: dict[tuple[str, ...], list[str]] = {}
    zh_to_vi: dict[str, list[str]] = {}
    for vi_terms, zh_terms in _parse(ENTRIES):
        for term in vi_terms:
            key = tuple(vi.syllables(term))
            vi_to_zh.setdefault(key, []).extend(t for t in zh_terms if t not in vi_to_zh.get(key, []))
        for term in zh_terms:
            zh_to_vi.setdefault(term, []).extend(t for t in vi_terms if t not in zh_to_vi.get(term, []))
    zh_keys = sorted(zh_to_vi, key=len, reverse=True)
    max_vi = max(len(k) for k in vi_to_zh)
    return vi_to_zh, zh_to_vi, zh_keys, max_vi


@lru_cache(maxsize=1)
def _places() -> list[tuple[str, ...]]:
    """The entries under a "# places" heading, each as all its forms in both languages."""
    places, in_places = [], False
    for line in ENTRIES.splitlines():
        line = line.strip()
        if line.startswith("#"):
            in_places = line.startswith("# places")
        elif line and in_places:
            vi_part, zh_part = line.split("|")
            places.append(tuple(t.strip() for part in (vi_part, zh_part) for t in part.split("/")))
    return places


# What a figure counts, across languages: the unit a question asks for ("bao nhiêu xã", "多少张")
# in the words a plan in the other language writes after its figures. Kept apart from ENTRIES:
# as search terms these words would match nearly every passage.
UNITS = """
xã | 乡/镇
huyện | 县
tỉnh | 省
người | 人/名/位
hộ | 户
năm | 年
tháng | 月
ngày | 天/日
lần | 次
giường | 床/张
bộ | 套/份
tờ | 张/份
điểm | 分
lớp | 期/班
doanh nghiệp/cơ sở | 家
"""


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """folded Vietnamese unit → Chinese units, Chinese unit → folded Vietnamese units (first syllable,
    as index/lang/vi.counts reads them)."""
    vi_to_zh: dict[str, tuple[str, ...]] = {}
    zh_to_vi: dict[str, tuple[str, ...]] = {}
    for vi_terms, zh_terms in _parse(UNITS):
        folded = tuple(vi.syllables(term)[0] for term in vi_terms)
        for term in folded:
            vi_to_zh[term] = vi_to_zh.get(term, ()) + zh_terms
        for term in zh_terms:
            zh_to_vi[term] = zh_to_vi.get(term, ()) + folded
    return vi_to_zh, zh_to_vi


def units(unit: str, lang: str) -> tuple[str, ...]:
    """The forms in the other language of a unit asked in ``lang`` (index/lang asked_unit): "xa" →
    乡, 镇; "个乡" → "xa" (by its noun; a bare measure word like 个 has none)."""
    vi_to_zh, zh_to_vi = _units()
    if lang == "vi":
        return vi_to_zh.get(unit, ())
    return zh_to_vi.get(unit[-1], ())


def places_named(terms) -> list[tuple[str, ...]]:
    """The places among a question's glossary terms (``Query.glossary_terms``), each with all its
    forms: a plan that names none of a place's forms is about somewhere else."""
    terms = set(terms)
    return [forms for forms in _places() if terms.intersection(forms)]


def translate(text: str, lang: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each phrase of ``text`` found in the glossary, with its alternative terms in the other
    language ("báo cáo" → 报告, 报送): a passage states one of them, not all.

    Longest phrases win: "Ủy ban nhân dân tỉnh" is one phrase, not "Ủy ban nhân dân" + "tỉnh".
    """
    vi_to_zh, zh_to_vi, zh_keys, max_vi = _tables()
    found: dict[str, list[str]] = {}
    if lang == "zh":
        rest = text
        for key in zh_keys:
            if key in rest:
                found.setdefault(key, []).extend(zh_to_vi[key])
                rest = rest.replace(key, " ")
    else:
        sylls = vi.syllables(text)
        i = 0
        while i < len(sylls):
            for n in range(min(max_vi, len(sylls) - i), 0, -1):
                hit = vi_to_zh.get(tuple(sylls[i : i + n]))
                if hit:
                    found.setdefault(" ".join(sylls[i : i + n]), []).extend(hit)
                    i += n
                    break
            else:
                i += 1
    return [(source, tuple(dict.fromkeys(targets))) for source, targets in found.items()]

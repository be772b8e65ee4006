"""Word lists of the genre: surnames, office titles, speech verbs.

These are facts about Chinese names and official writing, not about any one document:
the surnames are the 百家姓 (Hundred Family Surnames) plus modern ones (Hui surnames such as 海, 妥); the titles
are the ranks and posts that precede a name in reports (省长金湘军); the verbs are how a
report attributes words to a person (金湘军强调). Kept as frozensets so that a lookup
is one hash.
"""

from __future__ import annotations

_SINGLE = (
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛"
    "奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康"
    "伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵"
    "席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗"
    "丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫"
    "乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄"
    "印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴郁胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂"
    "濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘"
    "匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相"
    "查后荆红游竺权逯盖益桓公晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴商牟佘佴伯赏墨哈谯笪年爱阳佟第五言福"
    "栗郅肖付覃仝揭兰银蔺冼甯练粟占揭雒滕褚苑迟谌秘"
    # modern surnames outside the 百家姓, many of them Hui (海, 妥, 喇, 拜, 纳, 撒, 冶, 锁)
    "海妥禚喇拜纳撒冶锁邸菅郄隋芦麦苟丛邝敬植綦蹇衣"
)
_COMPOUND = (
    "万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 "
    "公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 亓官 司寇 子车 颛孙 端木 巫马 公西 漆雕 "
    "乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 百里 东郭 南门 呼延 归海 羊舌 微生 梁丘 左丘 东门 西门 南宫 第五"
)

SURNAMES: frozenset[str] = frozenset(_SINGLE)
COMPOUND_SURNAMES: frozenset[str] = frozenset(_COMPOUND.split())

# Posts and ranks written before a name (国务院总理李克强, 省领导陈安丽). Longest first when matched.
TITLES: tuple[str, ...] = tuple(
    sorted(
        set(
            """
            总书记 国家主席 军委主席 主席 副主席 委员长 副委员长 总理 副总理 国务委员 常委 委员 政治局委员
            书记 副书记 省长 副省长 市长 副市长 县长 副县长 区长 副区长 州长 旗长 盟长 乡长 镇长 主任 副主任
            部长 副部长 厅长 副厅长 局长 副局长 处长 司长 秘书长 副秘书长 组长 副组长 代表 人大代表 政协委员
            领导 省领导 市领导 县领导 负责人 负责同志 院长 副院长 检察长 董事长 总经理 司令员 政委 主委
            会长 理事长 校长 行长 署长 专员 督察长 巡视员 参事 大使 发言人 特派员 党组书记 第一书记 村支书
            """.split()
        ),
        key=len,
        reverse=True,
    )
)

# What may directly follow a name: a verb of saying or doing, a post written after the name,
# or a function word. A candidate name is only accepted where one of these (or punctuation,
# a digit, the end) comes next; that is how 温家宝来到 is cut after 宝 and 王勇表示 after 勇.
AFTER_NAME: tuple[str, ...] = tuple(
    sorted(
        set(
            """
            强调 指出 说 表示 要求 提出 认为 批示 指示 讲话 叮嘱 希望 寄语 主持 考察 调研 参加 出席 陪同 来到
            到 在 前往 会见 会谈 视察 察看 看望 慰问 听取 召开 作 作出 发表 宣布 介绍 回答 汇报 发言 提问 就
            围绕 对 同 与 和 及 向 为 于 从 等 率 带领 一行 不时 认真 充分 首先 最后 再次 还 也 又 专门 先后 分别
            随后 并 代表 委员 副 同志 总理 总书记 主席 书记 省长 市长 部长 主任 委员长 副委员长 副总理 以 已 将
            曾 是 的 都 均 亲切 详细 深入 一起 一同 共同 实地 逐一 高度 充分 十分 特别 专程 赴 抵 飞赴 通过 进行
            建议 呼吁 谈到 认为 发言时 在发言中 传达 通报 致辞 表态 培训 解读 宣讲 答复 提出 着重 立即 组织 带队
            """.split()
        ),
        key=len,
        reverse=True,
    )
)

# Verbs by which a report gives a person's words or instructions.
SPEECH_VERBS: tuple[str, ...] = (
    "强调", "指出", "要求", "表示", "提出", "认为", "说", "批示", "叮嘱", "希望", "寄语", "部署", "讲话",
)

# Words that can sit between a name and its speech verb (金湘军不时…, 李克强再次要求).
SPEECH_ADVERBS: tuple[str, ...] = (
    "再次", "还", "也", "又", "专门", "首先", "最后", "特别", "进一步", "随后", "同时", "明确", "充分",
    "在讲话中", "在会上", "在总结讲话时", "在讲话时", "在座谈时",
)

# Subjects that stand where a person would but are not people.
NOT_NAMES: frozenset[str] = frozenset(
    """
    会议 会上 通知 通报 批示 意见 文件 报告 公报 决定 讲话 指示 社论 评论 文章 大家 有人 专家 记者 代表 委员
    群众 他们 我们 同志 方面 有关 各方 与会 全会 纪要 研究 调查 数据 统计 分析 实践 事实 历史 经验 中央 国家
    政府 全国 全省 全市 各地 地方 部门 单位 企业 社会 人民 党中央 国务院 常委会 总理 主席 书记 省长 市长 领导
    干部 工作 发展 改革 建设 安全 经济 会议强调 时间 当前 目前 今年 去年 明年 同时 此外 其中 这里 那里 现在
    以来 之后 之前 期间 其间 近日 日前 最近 随后 然后 首先 其次 最后 第一 第二 第三 以上 以下 全体 所有
    东方 欧阳 上官 司马 明确 尤其 特别 高度 充分 严格 坚持 加强 强化 推进 推动 落实 完善 健全 做好 抓好
    常务会议 调研组 督查组 工作组 代表团 代表们 委员们 王国 金融 高标 高质量 严重 和平 平安 安全生产
    """.split()
)

# Endings that mark an organisation or place, never a person's given name.
ORG_ENDINGS: tuple[str, ...] = tuple(
    "院 部 局 省 市 县 区 厅 府 办 社 委 署 站 所 处 司 馆 台 校 厂 村 镇 乡 州 盟 旗 组 室".split()
)

"""Named work methods and programmes: 四精四账, 千万工程, “放管服”改革, 两个维护.

Reports put a named method in quotation marks, but they quote much else too: metaphors
(“桥头堡”), targets (“清零”), plan periods (“十四五”), attitudes to avoid (“只要不出事、宁愿不做事”).
Each quoted phrase is scored on its shape and on the words around it, and kept at a score of
2 or more:

shape of the phrase
  +3  a number formula proper: 四个意识, 两个维护, 五位一体, or numbers in parallel (四精四账,
      七下八上, 一带一路)
  +1  any other phrase opening with a number (三保障, 五大总成)
  +2  a method word inside (四全工作法, 千万工程, 枫桥经验, 河长制)
  +3  a “+” programme (互联网+不动产登记)
  +1  four characters without a number: an action slogan (精准扶贫, 出棚进楼)
  +1  a list of slogans joined by 、 (党政同责、一岗双责、失职追责)
words before it
  +2  a verb that takes a method: 践行, 用好, 运用, 推行, 深化, 开展, 增强, 坚定, 做到, 强化,
      巩固, 落实, 推进, 坚持, 领悟… (践行“四个抓落实”)
  +1  a modal or adverb that makes it the action itself: 要, 也要, 早日 (也要“精准扶贫”)
  -3  a description: 的, 这一, 这个, 当好, 争当, 打造 (开放的“桥头堡”, 这一“国之大者”)
  -4  a verb of avoiding, anywhere in the clause (防止, 杜绝, 力戒, 力破, 破除, 打通: 打通政策
      落实“最后一公里”) or right before it (治理, 整治, 解决, 遏制: 治理“散乱污”企业)
words after it
  +2  a programme noun: 工作法, 经验, 总体布局, 战略布局, 改革, 主题教育, 重要要求, 理念,
      工程, 行动, 制度, 机制… (“放管服”改革), also 的决定性意义 / 的定位要求
  -2  的 and any other noun: what it describes is an attitude or a promise (的庄严承诺);
      or a noun that makes it a kind of thing (“专精特新”企业, “等靠要”思想, “领头雁”作用)
  -1  等: an example in a list (“跨年夜”等)
never
  a plan period (十四五, 十五五, …规划), a zero target (清零, 零拖欠), a quoted sentence
  (with ，。！？：), more than 16 characters (24 for a list joined by 、).

Quotes run together (“六稳”“六保”, “精准扶贫”、“入村到户”) share the words before the first
and after the last. A few national programmes are named without quotation marks
(西部大开发, 丝绸之路经济带); they are matched as written.
"""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    """A word list written as text, one word per space or line (easier to read and edit)."""
    return text.split()


_QUOTE = re.compile(r"“([^“”\n]{1,24})”")

_NUM = "一二两三四五六七八九十百千万双"
_PLAN = re.compile(rf"^(?:[十]?[{_NUM}]五|.*规划|.*时期|.*年)$")
_ZERO = re.compile(r"零|清零")
# 四个意识, 五位一体, 四个一; numbers in parallel: 四精四账, 七下八上, 一带一路, 五不为过、五个必须.
_FORMULA = re.compile(rf"^[{_NUM}](?:个|位|项|条|种)|^[{_NUM}].*[{_NUM}]")
_METHOD_WORD = re.compile(r"(?:工作法|工程|经验|模式|机制|制度|行动|战略|体系|办法|法|制)$")

_VERBS = _words(
    "践行 用好 用活 运用 学习运用 学习推广 推广 推行 实行 深化 开展 实施 增强 坚定 做到 强化 巩固 树立 "
    "牢固树立 落实 推进 统筹推进 协调推进 深入推进 全面推进 扎实推进 持续推进 坚持 坚持和发展 贯彻 领悟 "
    "深刻领悟 把握 创新 完善 探索 建立 健全 打好 打赢 坚决打赢 学习 弘扬 发扬 传承 按照 围绕落实 "
    "用足 拓展 深入开展 积极开展 持续开展 扎实开展 启动 部署"
)
_SOFT = ("也要", "还要", "更要", "要", "早日", "努力", "积极", "大力")
_DESCRIBE = (
    "的",
    "这一",
    "这个",
    "这种",
    "这些",
    "一个",
    "当好",
    "争当",
    "打造",
    "成为",
    "建成",
    "称为",
    "又称",
    "叫",
)
# Verbs of avoiding: the first kind governs a quote anywhere later in its clause (打通政策落实
# “最后一公里”), the second only right before it, since it is also a noun (基层治理).
_AVOID_ANYWHERE = _words("防止 杜绝 力戒 力破 破除 纠治 打通 摒弃 克服 反对 根治 破解")
_AVOID = _words("治理 整治 解决 遏制 消除 避免 纠正 警惕")
_PROGRAMME = _words(
    "工作法 工作方法 方法 经验 总体布局 战略布局 布局 改革 主题教育 学习教育 专题教育 集中教育 教育 "
    "重要要求 重要论述 重要理念 理念 要求 工程 行动 专项行动 活动 制度 机制 模式 战略 体系 试点 建设 "
    "闭环管理 管理 创建 政策 原则 方针"
)
# Nouns after a quote that make it a kind of thing, not a method (“专精特新”企业, “等靠要”思想).
_KIND_NOUNS = ("企业", "问题", "现象", "思想", "行为", "作风", "作用", "干部", "人才", "产品", "技术", "项目")
_PROGRAMME_AFTER_DE = ("的决定性意义", "的重要要求", "的定位要求", "的要求", "的理念", "的原则", "的精神")

# National programmes written without quotation marks.
_UNQUOTED = re.compile(
    "西部大开发|丝绸之路经济带|21世纪海上丝绸之路|中部地区崛起|京津冀协同发展|东北全面振兴"
)


def _before_score(before: str) -> int:
    # Only the clause the quote stands in counts; a verb of avoiding anywhere in it governs
    # the quote (打通政策落实“最后一公里”).
    before = re.split(r"[，。；：！？、\n]", before)[-1]
    if any(w in before for w in _AVOID_ANYWHERE) or any(before.endswith(w) for w in _AVOID):
        return -4
    if any(before.endswith(w) for w in _DESCRIBE):
        return -3
    if any(before.endswith(w) for w in _VERBS):
        return 2
    if any(before.endswith(w) for w in _SOFT):
        return 1
    return 0


def _after_score(after: str) -> int:
    if after.startswith(_PROGRAMME_AFTER_DE):
        return 2
    if any(after.startswith(w) for w in _PROGRAMME):
        return 2
    if after.startswith("的") and len(after) > 1 and "\u4e00" <= after[1] <= "\u9fff":
        return -2
    if after.startswith(_KIND_NOUNS):
        return -2
    if after.startswith("等"):
        return -1
    return 0


def _shape_score(phrase: str) -> int | None:
    """Points for the phrase itself, or None where it can never be a method."""
    longest = 24 if "、" in phrase else 16  # 党政同责、一岗双责、齐抓共管、失职追责
    if len(phrase) < 2 or len(phrase) > longest or re.search(r"[，。！？：；,.!?:;]", phrase):
        return None
    if _PLAN.match(phrase) or _ZERO.search(phrase):
        return None
    score = 0
    if "+" in phrase or "＋" in phrase:
        score += 3
    if _FORMULA.search(phrase):
        score += 3
    elif phrase[0] in _NUM or len(phrase) == 4:  # 三保障; an action slogan 精准扶贫
        score += 1
    if _METHOD_WORD.search(phrase):
        score += 2
    if "、" in phrase:
        score += 1
    return score


def find_methods(text: str) -> list[str]:
    """Named methods and programmes as they stand in ``text``, in order, without duplicates."""
    found: list[tuple[int, str]] = []
    quotes = list(_QUOTE.finditer(text))
    # Group quotes that run together (joined by nothing, 、 or 和) so they share their context.
    groups: list[list[re.Match[str]]] = []
    for m in quotes:
        if groups:
            gap = text[groups[-1][-1].end() : m.start()]
            if gap in ("", "、", "和", "及", "与"):
                groups[-1].append(m)
                continue
        groups.append([m])
    for group in groups:
        first, last = group[0], group[-1]
        before = _before_score(text[max(0, first.start() - 8) : first.start()])
        after = _after_score(text[last.end() : last.end() + 8])
        for m in group:
            phrase = m.group(1)
            shape = _shape_score(phrase)
            if shape is None:
                continue
            if shape + before + after >= 2:
                found.append((m.start(1), phrase))
    found += [(m.start(), m.group()) for m in _UNQUOTED.finditer(text)]
    return list(dict.fromkeys(phrase for _, phrase in sorted(found)))

"""Write src/luoshi/text/data/places.tsv and places_stop.txt: the gazetteer behind find_places.

Run offline once (`python scripts/build_places.py [CPCA_WHEEL]`); the tables are committed so
that Luoshi needs neither package at run time. Sources:

* the administrative divisions (province, prefecture, county; 2020 adcodes) shipped in the
  `cpca` wheel on PyPI (MIT), fetched with `pip download cpca==0.5.5` when no wheel is given;
* the place words (tag ``ns``) of jieba's bundled dict.txt (jieba is a run-time dependency
  anyway): named rivers, lakes, mountains, plains and villages of three characters or more;
* the lists below: regions, major two-character rivers/lakes/mountains, countries and
  world regions, and the generic words that look like place names but are not (农村, 江河).

places_stop.txt lists generic words shaped like place names (农村, 江河, 长治久安) and
places_common.txt frequent words that name no place (基层, 城乡).

places.tsv has one row per surface form: ``surface<TAB>key<TAB>kind<TAB>codes``. ``key`` is the
form two mentions are the same place by (山西省 and 山西 share 山西). ``kind``:

    P province  C prefecture  X county (full name)  F/R/W/S feature, region, foreign, settlement
    c, x     names that count only where the text also names their province or prefecture
             (c: ambiguous prefecture short forms such as 日照, 安康; x: county and district
             short forms such as 孝义, 延庆)

``codes`` are the six-digit adcodes for P/C/X and their lower-case variants (several where a
name is shared), else empty.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src/luoshi/text/data"


def _words(text: str) -> list[str]:
    """A word list written as text, one word per space or line (easier to read and edit)."""
    return text.split()


# Full names of the autonomous regions and SARs whose short form is not the name minus a suffix.
SPECIAL = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "新疆维吾尔自治区": "新疆",
    "宁夏回族自治区": "宁夏",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}

# cpca rows that are not places.
NOT_PLACES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Prefecture short forms that are also common words: they count only beside their province.
AMBIGUOUS_PREFECTURES = set(
    _words(
        "日照 保定 大同 阿里 白银 安康 来宾 朝阳 中山 四平 玉树 通化 清远 长治 三明 和田 海北 海西 黄南 "
        "山南 文山 红河 普洱 白山 黑河 怒江 德宏 承德 北海 河源"
    )
)

# County short forms that are common words: never used alone (公安县 is found, 公安 is not).
COMMON_COUNTY_SHORT = set(
    _words(
        """
    公安 合作 东方 新民 灯塔 磐石 当阳 天长 大安 五常 龙泉 阳春 安达 海伦 高平 文昌 河间 高密 建德 弥勒
    扶余 个旧 海门 临清 平度 原平 兴化 遵化 开远 集安 和龙 义马 凭祥 樟树 泊头 句容 永济 即墨 龙口 应城
    石狮 常熟 赤水 赤壁 新华 和平 城关 城区 郊区 矿区 城中 市中 南山 北山 东山 西山 中原 江北 江南 河东
    河西 城东 城西 城南 城北 东城 西城 南城 北城 新城 老城 古城 长安 新兴 兴宁 安宁 宁安 永安 太和 太平
    长宁 长寿 平安 安平 新乐 乐安 大方 方正 正安 清河 清水 青山 白云 天河 海城 东海 南海 西湖 东湖 南湖
    北湖 桥西 桥东 康平 华容 通道 延长 长清 大同 大通 大兴 怀柔 鼓楼 三水 江海 西安 花山 金山 宝山 龙山
    石门 永和 和顺 安福 福安 新建 建安 安源 正定 定兴 定远 临江 江源 开阳 红旗 乐业 德保 都安 富民 宜良
    石林 安定 和政 合水 共和 光明 福田 盐田 寿县 和县 五河 固镇 界首 新市 滨海 开发 高新 经开 新区
    """
    )
)

REGIONS = _words(
    """
华北 华东 华南 华中 东北 西北 西南 东南 中原 江南 岭南 关中 陕北 陕南 苏北 苏南 苏中 皖北 皖南
豫东 豫西 豫南 鲁西南 川西 川南 川东 滇西 滇南 藏北 藏东 闽南 闽东 闽西 粤东 粤西 粤北 桂北
湘南 鄂西 赣南 晋北 晋南 冀中 冀北 辽西 辽南 蒙东 蒙西 陇东 陇南 河西走廊 南疆 北疆 东疆
长三角 珠三角 京津冀 粤港澳大湾区 成渝 海峡西岸 黄淮海 东三省 三江源 河套 雄安新区 浦东新区
滨海新区 两江新区 天府新区 西咸新区 兰州新区 南沙新区 舟山群岛新区 黄土高原 青藏高原 云贵高原
内蒙古高原 四川盆地 塔里木盆地 准噶尔盆地 柴达木盆地 华北平原 东北平原 江汉平原 成都平原
长江中下游平原 塔克拉玛干沙漠 库布其沙漠 毛乌素沙地 腾格里沙漠 科尔沁沙地 浑善达克沙地 大湾区
乌蒙山区 武陵山区 大别山区 罗霄山区 秦巴山区 六盘山区 燕山—太行山区 吕梁山区 滇桂黔石漠化区
"""
)

FEATURES = _words(
    """
长江 黄河 淮河 海河 珠江 辽河 嫩江 汉江 汉水 湘江 资江 沅江 赣江 闽江 渭河 汾河 洛河 泾河 沁河
岷江 沱江 乌江 漓江 西江 北江 东江 韩江 荆江 川江 三峡 瓯江 滦河 浑河 太湖 巢湖 滇池 洱海 渤海
黄海 东海 南海 泰山 华山 衡山 恒山 嵩山 黄山 庐山 燕山 阴山 天山 秦岭 南岭 巫山 珠峰 钱塘江
松花江 黑龙江 鸭绿江 图们江 澜沧江 金沙江 嘉陵江 雅砻江 大渡河 雅鲁藏布江 黄浦江 新安江 富春江
秦淮河 京杭大运河 大运河 塔里木河 伊犁河 额尔齐斯河 石羊河 疏勒河 永定河 潮白河 滹沱河 湟水
洞庭湖 鄱阳湖 洪泽湖 微山湖 青海湖 抚仙湖 镜泊湖 兴凯湖 千岛湖 白洋淀 衡水湖 查干湖 博斯腾湖
纳木错 丹江口水库 密云水库 官厅水库 三门峡 葛洲坝 峨眉山 五台山 武当山 九华山 普陀山
昆仑山 祁连山 阿尔泰山 贺兰山 大兴安岭 小兴安岭 长白山 太行山 吕梁山 大巴山 大别山 武夷山
井冈山 六盘山 横断山 喜马拉雅山 唐古拉山 巴颜喀拉山 乌蒙山 武陵山 罗霄山 雪峰山 沂蒙山 台湾海峡
琼州海峡 北部湾 杭州湾 渤海湾 胶州湾 海南岛 崇明岛 舟山群岛 西沙群岛 南沙群岛 钓鱼岛 黄河口
"""
)

FOREIGN = _words(
    """
亚洲 欧洲 非洲 美洲 北美 南美 拉美 拉丁美洲 大洋洲 中东 中亚 东亚 南亚 西亚 东南亚 东北亚 北欧
东欧 西欧 南欧 北非 南太平洋 太平洋 大西洋 印度洋 北冰洋 地中海 阿拉伯半岛 朝鲜半岛 中南半岛
美国 日本 韩国 朝鲜 俄罗斯 英国 法国 德国 意大利 西班牙 葡萄牙 希腊 土耳其 埃及 伊朗 伊拉克
沙特 沙特阿拉伯 以色列 巴勒斯坦 印度 巴基斯坦 孟加拉国 斯里兰卡 尼泊尔 不丹 阿富汗 马尔代夫
哈萨克斯坦 吉尔吉斯斯坦 塔吉克斯坦 乌兹别克斯坦 土库曼斯坦 蒙古国 越南 老挝 柬埔寨 泰国 缅甸
马来西亚 新加坡 印度尼西亚 印尼 菲律宾 文莱 东帝汶 澳大利亚 新西兰 加拿大 墨西哥 巴西 阿根廷
智利 秘鲁 古巴 委内瑞拉 哥伦比亚 乌克兰 白俄罗斯 波兰 捷克 匈牙利 塞尔维亚 罗马尼亚 保加利亚
荷兰 比利时 瑞士 瑞典 挪威 芬兰 丹麦 冰岛 爱尔兰 奥地利 尼日利亚 埃塞俄比亚 肯尼亚 坦桑尼亚
南非 安哥拉 阿尔及利亚 摩洛哥 苏丹 刚果 赞比亚 津巴布韦 卡塔尔 阿联酋 科威特 也门 约旦 叙利亚
黎巴嫩 格鲁吉亚 亚美尼亚 阿塞拜疆 突尼斯 利比亚 加纳 塞内加尔 莫桑比克 马达加斯加 斐济
巴布亚新几内亚 厄瓜多尔 玻利维亚 乌拉圭 巴拉圭 巴拿马 哥斯达黎加 牙买加 葡萄牙 卢森堡 斯洛伐克
斯洛文尼亚 克罗地亚 波黑 黑山 北马其顿 阿尔巴尼亚 立陶宛 拉脱维亚 爱沙尼亚 摩尔多瓦 欧亚
"""
)

# jieba 'ns' words with a place suffix that are generic nouns, idioms, people or metaphors.
JIEBA_NOT_PLACES = set(
    _words(
        """
    得意洋洋 信口开河 人山人海 崇山峻岭 荒山野岭 半壁江山 日落西山 三岔路口 五洲四海 水泊梁山
    锦绣江山 跑江湖 三座大山 寿比南山 曾经沧海 喜洋洋 江河湖海 高山峻岭 大门口 入海口 咸水湖
    火山岛 堰塞湖 高平原 稀树草原 湖心岛 内流河 外流河 河口湾 三岔口 小河沟 石头山 高山湖 红海洋
    普斯海洋 中国海 余沧海 苏星河 许地山 欧阳山 钟南山 周沧海 张坤海 桥头堡 城中村 中心镇 新城镇
    城郊乡 各乡镇 村村寨寨 四里八乡 上山下乡 安营下寨 古城堡 避暑山庄 大湖山庄 巴陵山庄 民族乡
    行政村 自然村 地球村 度假村 文化村 亚运村 奥运村 小城镇 特色小镇 三家村 中国台湾 华北大平原
    南中国海 北京中南海 山东泰山 焦山河 东拉河 罗安江 秦河 黄原河 天平山 成帝河
    """
    )
)

# Words that end like a place (…村, …河, …山) but name none; also what blocks a short name
# inside a longer word (长治久安 is not 长治).
GENERIC = _words(
    """
东部 西部 南部 北部 中部 东北部 西北部 东南部 西南部 东北方 西北方 东南方 西南方 东北角 西南角 东南角 西北角
农村 乡村 城乡 城镇 乡镇 村镇 市镇 集镇 小镇 古镇 重镇 名镇 强镇 山镇 水乡 家乡 故乡 老乡 同乡
异乡 他乡 下乡 回乡 返乡 还乡 离乡 思乡 梦乡 侨乡 本乡 全乡 各乡 该乡 全村 本村 各村 该村 每村
一村 邻村 同村 外村 小村 山村 渔村 荒村 新村 驻村 进村 入村 到村 包村 村村 全镇 本镇 各镇 该镇
每镇 贫困村 示范村 重点村 试点村 专业村 空心村 美丽乡村 新农村 中心村 边境村 易地 特色村 文明村
先进村 集体村 薄弱村 后进村 软弱涣散村 传统村落 江河 河湖 湖泊 海洋 大海 大河 大江 大湖 大山
深山 高山 山河 河山 江山 江湖 山区 山川 山水 青山 绿水 冰山 火山 靠山 江海 沿海 近海 远海 深海
浅海 内海 外海 出海 下海 入海 渡海 沧海 四海 滨海 临海 海岛 海湾 海峡 港湾 山岭 山峰 山沟 河沟
河湾 河滩 海滩 沙滩 内河 界河 运河 护城河 小河 小溪 溪流 河流 河道 湖区 库区 山坡 上山 下山
登山 开山 爬山 进山 出山 沿河 渡河 过河 跨河 渡江 过江 长河 银河 天河 冰河 星河 跨江 沿江 临江
两河 两江 两湖 三江 三山 五湖 半山 关山 远山 群山 名山 河口 江口 湖口 山口 路口 入口 出口
港口 渡口 关口 缺口 窗口 水库 大坝 堤坝 梯田 良田 草原 平原 高原 盆地 沙漠 戈壁 湿地 森林
长治久安 四平八稳 大同小异 世界大同 幸福安康 健康安康 日照时数 日照时间 光照 新乡贤 承德载物
中山装 中山陵 白银时代 黑河谷 太平洋彼岸 和田玉 普洱茶 包头巾 开封府 阿里巴巴 阿里云
南北疆 大江南北 红河谷 玉树临风 东方红 朝阳产业 中东部 中东欧 中欧 中非 中美 中亚太
"""
)


def fetch_cpca(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    tmp = Path(tempfile.mkdtemp())
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), "cpca==0.5.5"],
        check=True,
    )
    return next(tmp.glob("cpca-*.whl"))


def read_cpca(wheel: Path) -> tuple[list[dict[str, str]], list[str]]:
    with zipfile.ZipFile(wheel) as z:
        rows = list(csv.DictReader(io.TextIOWrapper(z.open("cpca/resources/adcodes.csv"), "utf-8")))
        nations = [x.strip() for x in io.TextIOWrapper(z.open("cpca/resources/56_nations.csv"), "utf-8")]
    return rows, [n for n in nations if n]


def read_jieba() -> list[tuple[str, int, str]]:
    import jieba

    out = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            word, freq, tag = line.split()
            out.append((word, int(freq), tag))
    return out


def main() -> None:
    rows, nations = read_cpca(fetch_cpca(sys.argv[1] if len(sys.argv) > 1 else None))
    # 蒙古自治州 and 哈萨克自治州 drop the 族 of the nationality, so strip both spellings.
    nat = sorted({*nations, *(n[:-1] for n in nations if len(n) > 2)}, key=len, reverse=True)

    def strip_nations(s: str) -> str:
        changed = True
        while changed:
            changed = False
            for n in nat:
                if s.endswith(n) and len(s) > len(n) + 1:
                    s, changed = s[: -len(n)], True
                    break
        return s

    jieba_words = read_jieba()
    ordinary = {
        w
        for w, freq, tag in jieba_words
        if freq >= 100 and tag not in ("ns", "nr", "nrt", "nz", "nt", "nrfg")
    }
    entries: dict[str, list[str]] = {}  # surface -> [key, kind, codes]
    rank = {k: i for i, k in enumerate("PCXRFWScx")}

    def add(surface: str, key: str, kind: str, code: str = "") -> None:
        if len(surface) < 2 or len(key) < 2:
            return
        old = entries.get(surface)
        if old is None:
            entries[surface] = [key, kind, code]
            return
        # A shared name (海南 is a province and a prefecture, 朝阳 a prefecture and a county)
        # keeps every code and the most standalone kind.
        if code and code not in old[2].split(","):
            old[2] = f"{old[2]},{code}" if old[2] else code
        if rank[kind] < rank[old[1]]:
            old[0], old[1] = key, kind

    for r in rows:
        name, code = r["name"], r["adcode"][:6]
        if name in NOT_PLACES:
            continue
        if code.endswith("0000"):
            short = SPECIAL.get(name) or re.sub(r"(省|市)$", "", name)
            add(name, short, "P", code)
            add(short, short, "P", code)
        elif code.endswith("00"):
            short = strip_nations(re.sub(r"(市|地区|盟|自治州)$", "", name))
            add(name, short, "C", code)
            add(short, short, "c" if short in AMBIGUOUS_PREFECTURES else "C", code)
        else:
            short = strip_nations(re.sub(r"(市|县|区|旗|自治县|自治旗|林区|特区)$", "", name))
            if len(short) < 2:
                # 新县, 沛县: the full name is the only name, and may be a word (和县), so it
                # needs its prefecture beside it; 城区, 郊区 are no names at all.
                if not name.endswith("区"):
                    add(name, name, "x", code)
                continue
            add(name, short, "X", code)
            # Banners are written in full; a short form that is a frequent ordinary word
            # (公安 for 公安县, 和平 for 和平区) is never a place on its own.
            if name.endswith("旗") or short in COMMON_COUNTY_SHORT or short in GENERIC or short in ordinary:
                continue
            add(short, short, "x", code)

    geo = re.compile(
        r"(江|河|湖|海|山|岭|峡|岛|湾|高原|盆地|平原|草原|沙漠|沙地|水库|泊|峰|滩|溪|洋|半岛|群岛|峡谷|淀|池)$"
    )
    settlement = re.compile(r"(村|镇|乡|庄|屯|寨|堡)$")
    for word, freq, tag in jieba_words:
        if tag != "ns" or len(word) < 3 or word in JIEBA_NOT_PLACES or word in GENERIC:
            continue
        if geo.search(word) and freq >= 5:
            add(word, word, "F")
        elif settlement.search(word) and freq >= 3 and not word.startswith(("各", "本", "全", "该")):
            add(word, re.sub(r"(镇|乡|村)$", "", word), "S")
    for w in REGIONS:
        add(w, w, "R")
    for w in FEATURES:
        add(w, w, "F")
    for w in FOREIGN:
        add(w, w, "W")
    for w in GENERIC:
        entries.pop(w, None)

    DATA.mkdir(parents=True, exist_ok=True)
    with open(DATA / "places.tsv", "w", encoding="utf-8") as f:
        f.write("# surface\tkey\tkind\tcodes — generated by scripts/build_places.py, do not edit\n")
        for surface in sorted(entries):
            key, kind, codes = entries[surface]
            f.write(f"{surface}\t{key}\t{kind}\t{codes}\n")
    # Common words that end like a small place (贫困村, 护城河) are not place names either.
    small = re.compile(r"(村|镇|乡|河|湖|海|山|江|溪|湾|岛|岭|峡|滩|库|园)$")
    stop = set(GENERIC)
    for word, freq, tag in jieba_words:
        ordinary_tag = tag in ("n", "vn") or not tag.startswith("n")  # not a name of any kind
        if 2 <= len(word) <= 4 and freq >= 3 and small.search(word) and ordinary_tag and word not in entries:
            stop.add(word)
    with open(DATA / "places_stop.txt", "w", encoding="utf-8") as f:
        f.write("# generic words shaped like place names — generated by scripts/build_places.py\n")
        for w in sorted(stop):
            f.write(w + "\n")
    # Frequent two-character words that are no place (基层, 城乡): a name found only by a verb of
    # going (来到X村) must not be one of them.
    common = sorted(
        w
        for w, freq, tag in jieba_words
        if len(w) == 2
        and freq >= 500
        and tag not in ("ns", "nr", "nrt", "nz", "nt", "nrfg")
        and w not in entries
    )
    with open(DATA / "places_common.txt", "w", encoding="utf-8") as f:
        f.write("# frequent words that name no place — generated by scripts/build_places.py\n")
        f.write("\n".join(common) + "\n")
    print(f"wrote {len(entries)} places, {len(stop)} stop words, {len(common)} common words to {DATA}")


if __name__ == "__main__":
    main()

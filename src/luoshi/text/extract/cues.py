"""The cues by which a report marks requirements, and those by which it marks something else.

Facts of official writing, not of any one document:
- who speaks and how: verbs that give instructions (强调, 要求, 作出批示) and verbs that only report
  speech (表示, 介绍, 致辞, 通报, 作表态发言);
- what a requirement looks like: a modal head (要, 必须, 务必) or an imperative verb at the head of a
  clause (加强, 推进, 抓好…), often after its addressee (各乡镇要…);
- what is not a requirement: retrospect and achievements (取得…成效), findings (存在…问题),
  commitments (表态, 将…), and commentary.
"""

from __future__ import annotations

import re

from luoshi.text.extract.lexicon import SPEECH_ADVERBS

_N = r"[一二三四五六七八九十两几\d]+"

# Verbs that give instructions. The first group needs words after it to be an instruction;
# 提出N点要求 / 作出批示 are instructions by themselves.
INSTRUCT = (
    rf"作出(?:了)?(?:重要)?(?:批示|指示)|提出?了?(?:{_N}点)?(?:具体|明确|殷切|工作|几点)?(?:要求|意见|希望|建议)|提出了?"
    rf"|强调了?(?:{_N}点)?(?:具体|明确)?(?:要求|意见)?|指出|要求|批示|指示|部署|叮嘱|寄语|希望|提醒"
)
# Verbs that report speech without making it an instruction.
SPEAK = (
    r"说|表示|认为|介绍|致辞|讲话|讲了话|作了?(?:重要)?讲话|发言|作了?(?:表态|典型|交流)?发言|汇报|通报|表态"
    r"|提问|询问|回答|答复|解读|宣讲|传达|作了?(?:工作)?报告|进行了?(?:学习)?培训|进行了?(?:解读|宣讲|讲解|动员)|谈到"
)
VERB = rf"(?P<verb>{INSTRUCT}|{SPEAK})"
_ADVERBS = "|".join(map(re.escape, SPEECH_ADVERBS))
_TIME = r"(?:\d{1,2}月)?(?:\d{1,2}日)?(?:上午|下午|晚上|晚)?"
# What may stand between a speaker and the verb: a time, adverbs, 在讲话中 / 在座谈时, and a topic
# or addressee (就下一步工作, 对…, 向…): 季克霖就巡察整改强调三点具体要求.
BETWEEN = (
    rf"(?:同志)?{_TIME}(?:{_ADVERBS})*(?:在[^，。；：]{{1,30}}?(?:时|上|中|期间)，?)?(?:{_ADVERBS})*"
    rf"(?:(?:就|对|向|围绕|结合|针对)[^。；：！？]{{1,60}}?，?)?(?:{_ADVERBS}|着重|重点)*"
)
SITE_AFTER = re.compile(BETWEEN + VERB)
INSTRUCT_RE = re.compile(rf"^(?:{INSTRUCT})$")
# A verb that names a list: 提出了五点要求, 强调三点, 提三点希望
LIST_VERB = re.compile(rf"(?:提出?了?|强调了?|讲了?){_N}点|(?:以下|如下|几点)(?:要求|意见|工作)")

# A modal verb that makes a requirement (要, not 要求/重要/主要/需要/要素…)
MODAL = re.compile(r"(?<![需重主只必纲首摘概扼想])要(?![求素点件闻害领])|必须|务必|一定要|应当|切实|坚决")
# A modal that opens a requirement (not 切实/坚决, which qualify a verb)
REQUIREMENT = re.compile(r"(?<![需重主只必纲首摘概扼想])要(?![求素点件闻害领])|必须|务必|一定要|应当")
MODAL_YAO = re.compile(r"(?<![需重主只必纲首摘概扼想])要(?![求素点件闻害领])")
# The head of an imperative clause: the verbs that open requirements in this genre
IMPERATIVE = re.compile(
    r"^(?:进一步|切实|全力|全面|持续|认真|扎实|着力|坚决|大力|加快|积极|深入|不断|务必|必须|要|是要|一定要)*"
    r"(?:抓|加强|强化|推进|推动|抓好|抓实|抓紧|做好|做实|落实|压实|压紧|健全|完善|提高|提升|坚持|确保|加快|深化|"
    r"严格|严守|严肃|狠抓|突出|聚焦|统筹|优化|建立|加大|注重|守住|筑牢|夯实|明确|细化|树立|增强|提速|保障|"
    r"维护|防范|防止|杜绝|遏制|巩固|稳定|扩大|促进|培育|打造|打好|实施|开展|组织|加紧|认清|吃透|把握|掌握|"
    r"正确|妥善|有序|精心|善于|高度|牢固|全力|立足|围绕|紧盯|紧扣|对照|按照|以|把|将|从|在)"
)
# Retrospect and achievements: what was done, not what is to be done
RETROSPECT = re.compile(
    r"取得(?:了)?|成效|成绩|成果|亮点|做法|经验|回顾|总结了|以来|完成了|实现了|同比|增长|下降|累计|共计|"
    r"[\d.]+%|[\d.]+(?:亿|万)元|个百分点|主要做了|开展了|做了以下"
)
# Findings of an inspection or a report: problems found
FINDING = re.compile(
    r"(?:存在|面临|突出|暴露|反映出|发现|查摆|指出了?)[^。]{0,20}(?:问题|不足|困难|短板|差距|弱项|矛盾|隐患)|"
    r"巡察发现|检查发现|督查发现|审计发现|主要问题|问题清单"
)
# A commitment made by those who receive the instructions
COMMITMENT = re.compile(r"表态|承诺|保证|决心|表示将|一定将|坚决做到|我们将")
# Speech that reports rather than directs
REPORTING = re.compile(r"汇报|介绍|通报|报告了?|传达了?(?!.{0,20}(?:要求|提出))")

# A report of a reception, a visit of guests or a signing: its speeches are courtesies, not instructions
RECEPTION = re.compile(r"会见|会谈|签约|签署|致辞|来访|拜访|拜会|考察交流|座谈交流|交流座谈|洽谈|推介会|欢迎")

# An addressee written before a modal: 各相关单位要, 全县上下要, 县政府各分管领导要
ADDRESSEE = re.compile(
    r"^(?:(?:各|全|有关|相关|我们|大家|广大)[^，。；：]{0,14}"
    r"|[^，。；：]{0,12}(?:部门|单位|领导|干部|同志|企业|乡镇|机关|上下|党员|班子|人员|街道|社区|各级|各地"
    r"|中心|公司|集团|[局委办厅院署站所队组县市区乡镇村]))$"
)

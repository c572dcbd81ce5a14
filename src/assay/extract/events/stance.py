"""How an event leans, and which statements state nothing: stance words, negation, hedges.

Stance follows EventSpec: `tighten` restricts supply or trade, `loosen` eases it, `neutral`
neither. A type has a usual stance (a ban tightens, a subsidy loosens); words turn it around
(an increased quota, a lifted ban). Negated, hedged and data-report statements state no event.
"""

from __future__ import annotations

import re

from assay.model import Stance

# Words that turn a type's usual stance around, or state it outright.
_LOOSEN_EN = re.compile(
    r"(?i)\b(?:abolish\w*|lift\w*|eas(?:e|ed|es|ing)|relax\w*|remov\w*|scrap\w*|exempt\w*|waiv\w*|resum\w*|restart\w*"
    r"|recover\w*|deals?|truce|increas\w*|rais(?:e|ed|es|ing)|expand\w*|higher|up \d|grant\w*|approv\w*)\b"
)
_TIGHTEN_EN = re.compile(
    r"(?i)\b(?:tight\w*|strict\w*|ban\w*|prohibit\w*|restrict\w*|curb\w*|cut\w*|reduc\w*|lower\w*|crack\w* down"
    r"|minimum|total(?:[- ](?:volume|quantity|amount))? control|expand\w* (?:\w+ ){0,3}controls?|scrutiny|closure)\b"
)
_NEUTRAL_EN = re.compile(r"(?i)\b(?:clarif\w*|frequently asked|guidance)\b")
_LOOSEN_ZH = re.compile(r"放宽|取消|解除|增加|提高|上调|恢复|复产|豁免|增长")
_TIGHTEN_ZH = re.compile(r"收紧|加强|严格|禁止|限制|下调|减少|压减|管控|淘汰")

# Policies that regulate an industry rather than promote it: "sustainable and healthy development"
# opinions (the wording of China's rectification campaigns), "regulations on the administration of",
# "no new mines", "不得", "规范", "整治".
_REGULATING = re.compile(
    r"(?i)\b(?:sustainable and )?healthy development\b|\bregulations? on the administration\b|\bno (?:more )?new\b"
    r"|\bmay not\b|持续健康发展|规范(?:发展|管理|开采)|整治|整顿|不再新建|不得|管理条例|总量控制"
)

_DEFAULT_STANCE = {
    "export_control": Stance.TIGHTEN,
    "technology_restriction": Stance.TIGHTEN,
    "production_quota": Stance.TIGHTEN,
    "consolidation": Stance.NEUTRAL,
    "stockpiling": Stance.TIGHTEN,
    "environmental_enforcement": Stance.TIGHTEN,
    "capacity_plan": Stance.LOOSEN,
    "industrial_policy": Stance.NEUTRAL,
    "trade_measure": Stance.TIGHTEN,
    "subsidy": Stance.LOOSEN,
    "recycling_mandate": Stance.NEUTRAL,
    "supply_disruption": Stance.TIGHTEN,
}


def stance_for(event_type: str, wording_class: str, text: str) -> Stance:
    """Tighten, loosen or neutral, from the type's usual effect and the words around it."""
    loosen = bool(_LOOSEN_EN.search(text) or _LOOSEN_ZH.search(text))
    tighten = bool(_TIGHTEN_EN.search(text) or _TIGHTEN_ZH.search(text))
    if event_type == "trade_measure":
        eases = re.search(
            r"(?i)\b(?:lower\w*|cut|cuts|reduc\w*|remov\w*|exempt\w*|suspend\w*|lift\w*|waiv\w*|deals?|truce|agreements?)\b"
            r"|下调|取消|豁免|暂停|协议",
            text,
        )
        if wording_class == "trade_deal" or (
            eases and not re.search(r"(?i)\b(?:rais\w*|increas\w*|impos\w*|hik\w*|add\w*)\b|加征|上调", text)
        ):
            return Stance.LOOSEN
        return Stance.TIGHTEN
    if event_type in ("export_control", "technology_restriction"):
        if _NEUTRAL_EN.search(text):
            return Stance.NEUTRAL
        if wording_class == "trade_deal" or (loosen and not tighten and wording_class != "export_licence"):
            return Stance.LOOSEN
        if re.search(r"(?i)\babolish\w*|\blift\w* (?:the )?(?:ban|controls?)|取消|解除", text):
            return Stance.LOOSEN
        return Stance.TIGHTEN
    if event_type == "production_quota":
        if re.search(r"(?i)\babolish\w*|increas\w*|\brais\w*|\bhigher\b|\bup \d|上调|增加|提高|增长", text):
            return Stance.LOOSEN
        return Stance.TIGHTEN
    if event_type == "capacity_plan":
        return Stance.TIGHTEN if wording_class == "capacity_cut" else Stance.LOOSEN
    if event_type == "supply_disruption":
        return (
            Stance.LOOSEN
            if re.search(r"(?i)\b(?:resum\w*|restart\w*|eased|recover\w*)|复产|恢复", text)
            else Stance.TIGHTEN
        )
    if event_type == "industrial_policy" and _REGULATING.search(text):
        return Stance.TIGHTEN
    if event_type in ("industrial_policy", "consolidation") and tighten and not loosen:
        return Stance.TIGHTEN
    return _DEFAULT_STANCE.get(event_type, Stance.NEUTRAL)


NEGATION_EN = re.compile(r"(?i)\b(?:no|not|never|without|unaffected|nor|neither)\b[^.;,]{0,25}$|n't\s+$")
NEGATION_ZH = re.compile(r"(?:未|没有|不|无|并非)[^，。；]{0,3}$")
HEDGE = re.compile(
    r"\b(?:may|might|could|if|whether|unless|recommend\w*|advis\w*|waiting for|awaiting)\b"
    r"|等待|^(?:If|Whether|Could|Might)\b|可能|或将|如果|若是|是否"
)
# Legal "may": a law or plan grants a power ("the state may build reserves", "国家可以收储"), it does
# not hedge. The subject is a government, and the verb is an action, not an outcome ("prices may rise").
LEGAL_POWER = re.compile(
    r"(?i)\b(?:the\s+)?(?:state|government|authorities|ministry|ministries|council|commission|regulators?"
    r"|competent\s+(?:department|authority)|customs)\s+(?:may|can|shall)\b"
    r"(?!\s+(?:be|have|face|see|need|want|not|also be)\b)"
    r"|(?:国家|政府|主管部门|有关部门|海关)(?:可以|可|有权)"
)
# Statements that comment on an event rather than state one: an analyst's expectation ("Analysts
# expect the merger to ..."), a generic condition ("any disruption there reaches prices"), a
# purpose or an explanation ("以满足环保要求", "指标上调主要是为了满足需求").
ATTRIBUTED_VIEW = re.compile(
    r"(?i)\b(?:analysts?|traders?|observers|market participants|industry (?:insiders?|sources))\s+(?:\w+\s+)?"
    r"(?:expect|expected|believe|believed|think|thought|predict\w*|forecast\w*)\b"
    r"|(?:分析人士|业内人士|市场人士|分析师)(?:普遍)?(?:预计|预期)"
)
COMMENTARY = re.compile(
    r"(?i)\bany\s+(?:\w+\s+)?(?:disruption|shortage|halt|closure|outage|cut|ban|restriction)s?\b"
    r"|\bis\s+(?:mainly|largely|partly)?\s*(?:meant|intended|designed)\s+to\b"
    r"|以满足|主要是为了|主要是由于|旨在满足"
    # a reference to rules already in place, or a yardstick: "governed by separate export control rules",
    # "comply with foreign trade laws", "which the USGS equates with the quota"
    r"|\b(?:governed|covered|regulated)\s+by\s+(?:separate|existing|other|its own)\b"
    r"|\bcomply\s+with\s+(?:\w+\s+){0,4}laws\b"
    r"|\b(?:equates?|equated|equivalent|corresponds?)\s+(?:with|to)\b"
    # an evaluation of a plan, not the plan: "doubling capacity in five years is ambitious"
    r"|\bis\s+(?:very\s+|too\s+)?(?:ambitious|unrealistic|optimistic|realistic|achievable)\b"
)
# "No new mines may be opened", "may not": a prohibition, not a hedge.
PROHIBITION = re.compile(r"(?i)^\W*no\b|\b(?:may|must|shall|can) ?not\b|不得")
# "数据显示, 2019年交易所成交3387吨": a statement that reports figures, not a measure.
DATA_REPORT = re.compile(r"^\W*(?:数据显示|统计显示|据.{0,8}(?:统计|数据)(?:显示)?[,，])")

"""How an event leans, and which statements state nothing: stance words, negation, hedges.

Stance follows EventSpec: `tighten` restricts supply or trade, `loosen` eases it, `neutral`
neither. A type has a usual stance (a ban tightens, a subsidy loosens); words turn it around
(an increased quota, a lifted ban). Negated, hedged and data-report statements state no event.
"""

from __future__ import annotations

import re

from assay.extract.events.words import cue, gated_cue
from assay.model import Stance

# Words that turn a type's usual stance around, or state it outright.
_LOOSEN_EN = cue("stance.LOOSEN_EN")
_TIGHTEN_EN = gated_cue("stance.TIGHTEN_EN")
_NEUTRAL_EN = cue("stance.NEUTRAL_EN")
_LOOSEN_ZH = cue("stance.LOOSEN_ZH")
_TIGHTEN_ZH = cue("stance.TIGHTEN_ZH")

# Policies that regulate an industry rather than promote it: "sustainable and healthy development"
# opinions (the wording of China's rectification campaigns), "regulations on the administration of",
# "no new mines", "不得", "规范", "整治".
_REGULATING = cue("stance.REGULATING")

# "suspend the export controls for a year", "暂停...出口管制措施": a control put on hold
_SUSPENDED_CONTROL = cue("stance.SUSPENDED_CONTROL")

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
        if wording_class == "licence_granted" or _SUSPENDED_CONTROL.search(text):
            return Stance.LOOSEN  # licences granted, or controls suspended, ease the control
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


NEGATION_EN = cue("stance.NEGATION_EN")
NEGATION_ZH = cue("stance.NEGATION_ZH")
HEDGE = gated_cue("stance.HEDGE")
# Legal "may": a law or plan grants a power ("the state may build reserves", "国家可以收储"), it does
# not hedge. The subject is a government, and the verb is an action, not an outcome ("prices may rise").
LEGAL_POWER = gated_cue("stance.LEGAL_POWER")
# Statements that comment on an event rather than state one: an analyst's expectation ("Analysts
# expect the merger to ..."), a generic condition ("any disruption there reaches prices"), a
# purpose or an explanation ("以满足环保要求", "指标上调主要是为了满足需求").
ATTRIBUTED_VIEW = gated_cue("stance.ATTRIBUTED_VIEW")
COMMENTARY = gated_cue("stance.COMMENTARY")
# "No new mines may be opened", "may not": a prohibition, not a hedge.
PROHIBITION = cue("stance.PROHIBITION")
# "数据显示, 2019年交易所成交3387吨": a statement that reports figures, not a measure.
DATA_REPORT = cue("stance.DATA_REPORT")

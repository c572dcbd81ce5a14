"""Trigger wordings for each EventSpec type, in English and Chinese, and the stance words.

Each trigger belongs to a class of wording (`export_licence`, `mining_quota`, ...): classes
are what the rules are about, so a new article that says "permits for exports" instead of
"export licences" is caught by the class, not by a copy of a sentence. A trigger's weight
says how sure it is on its own: 3 states the event, 2 usually does, 1 only with a named
government actor beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EVENT_TYPES = (
    "export_control",
    "technology_restriction",
    "production_quota",
    "consolidation",
    "stockpiling",
    "environmental_enforcement",
    "capacity_plan",
    "industrial_policy",
    "trade_measure",
    "subsidy",
    "recycling_mandate",
    "supply_disruption",
)

# When two triggers of equal weight compete in one statement, the earlier type here wins:
# the more specific measure before the general one.
TYPE_PRIORITY = {name: rank for rank, name in enumerate(EVENT_TYPES)}
TYPE_PRIORITY["technology_restriction"] = -1


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    wording_class: str
    weight: int
    pattern: re.Pattern[str]


_W = r"(?:[\w'’\"“”-]+\s+)"  # one word and the space after it


def _en(source: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + source.replace(" ", r"\s+") + r")(?![\w])", re.IGNORECASE)


def _zh(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _compile(lang: str, source: str) -> re.Pattern[str]:
    if lang == "en":
        return _en(source)
    if lang == "en_cased":
        return re.compile(r"(?<![\w-])(?:" + source + r")(?![\w])")
    return _zh(source)


_RAW: tuple[tuple[str, str, int, str, str], ...] = (
    # (type, class, weight, language, pattern)
    # export_control: licences, permits, bans, dual-use lists, smuggling enforcement
    ("export_control", "export_licence", 3, "en", r"export (?:licen[cs]es?|licen[cs]ing|permits?|approvals?)"),
    ("export_control", "export_licence", 2, "en", rf"(?:licen[cs]es?|permits?) (?:for|to) {_W}{{0,4}}exports?"),
    ("export_control", "export_licence", 2, "en", r"licen[cs]e applications?"),
    ("export_control", "export_control", 3, "en", r"export (?:controls?|restrictions?|curbs?|bans?|controlled)"),
    (
        "export_control",
        "export_control",
        3,
        "en",
        rf"(?:controls?|restrictions?|curbs?|bans?|limits?) (?:on|of) {_W}{{0,5}}exports?",
    ),
    (
        "export_control",
        "export_control",
        3,
        "en",
        r"(?:ban|bans|banned|banning|restrict|restricts|restricted|restricting|curb|curbs|curbed"
        r"|halt|halted|suspend|suspended) (?:the )?(?:export|exports|exporting) (?:of )?",
    ),
    ("export_control", "dual_use", 3, "en", r"dual[- ]use"),
    (
        "export_control",
        "control_list",
        3,
        "en",
        r"controlled (?:items?|goods|products|rare earths|minerals|metals|elements|materials)",
    ),
    (
        "export_control",
        "control_list",
        3,
        "en",
        rf"(?:controls?|curbs?|restrictions?) on {_W}{{0,6}}(?:items|goods|products)",
    ),
    (
        "export_control",
        "export_licence",
        3,
        "en",
        r"under (?:export )?(?:control|licen[cs]e|licensing)|licen[cs]ing (?:of|requirements?|regime|system)",
    ),
    (
        "export_control",
        "export_licence",
        3,
        "en",
        r"(?:need|needs|needed|require|requires|required|obtain|apply for)"
        r" (?:an? )?(?:export )?(?:licen[cs]es?|permits?)",
    ),
    ("export_control", "export_quota", 3, "en", r"export quotas?"),
    ("export_control", "control_list", 3, "en", r"(?:entity|control|unverified) list"),
    ("export_control", "smuggling", 3, "en", r"smuggl\w*"),
    ("export_control", "smuggling", 2, "en", r"misdeclar\w*"),
    ("export_control", "customs_scrutiny", 3, "en", rf"(?:scrutiny|inspections?|checks?) (?:at|by) {_W}{{0,2}}customs"),
    ("export_control", "customs_scrutiny", 2, "en", r"customs (?:scrutiny|inspections?|checks?|crackdown)"),
    (
        "export_control",
        "export_control",
        3,
        "zh",
        r"(?:实施|取消|解除|加强|临时|扩大)\S{0,6}管制|出口管制|出口管控|出口禁令|禁止出口|限制出口|出口限制"
        r"|两用物项|管控名单|管制清单|实体清单",
    ),
    ("export_control", "export_licence", 3, "zh", r"出口许可|许可证|出口审批|出口配额"),
    ("export_control", "smuggling", 3, "zh", r"走私|打击.{0,4}非法出口"),
    # technology_restriction: know-how, not goods
    (
        "technology_restriction",
        "technology_export",
        3,
        "en",
        rf"(?:export|transfer)s? of {_W}{{0,3}}(?:technolog\w*|know-how|knowledge|expertise)",
    ),
    (
        "technology_restriction",
        "technology_export",
        3,
        "en",
        r"technolog\w* (?:prohibited|restricted|banned) (?:and \w+ )?from export",
    ),
    (
        "technology_restriction",
        "technology_export",
        3,
        "en",
        r"technology (?:export )?(?:bans?|restrictions?|controls?)",
    ),
    (
        "technology_restriction",
        "technology_export",
        2,
        "en",
        rf"(?:ban|bans|banned|banning|prohibit\w*|restrict\w*) {_W}{{0,3}}(?:technolog\w*|know-how)",
    ),
    (
        "technology_restriction",
        "technology_export",
        3,
        "zh",
        r"技术出口|禁止出口限制出口技术目录|(?:禁止|限制)(?:出口|转让).{0,8}技术|技术.{0,6}(?:禁止|限制)出口",
    ),
    # production_quota: mining, smelting and output caps
    (
        "production_quota",
        "mining_quota",
        3,
        "en",
        r"(?:mining|smelting|separation|production|output|extraction) (?:quotas?|caps?|ceilings?)",
    ),
    (
        "production_quota",
        "mining_quota",
        3,
        "en",
        rf"quotas? (?:for|on) {_W}{{0,4}}(?:mining|smelting|separation|production|output)",
    ),
    ("production_quota", "mining_quota", 3, "en", rf"batch of {_W}{{0,2}}quotas?"),
    (
        "production_quota",
        "total_control",
        3,
        "en",
        r"total(?:[- ](?:amount|volume|quantity))? control(?: quotas?| indicators?| targets?)?",
    ),
    ("production_quota", "quota", 2, "en", r"quotas?"),
    ("production_quota", "mining_quota", 3, "zh", r"总量控制|开采指标|冶炼分离指标|控制指标|开采配额|生产配额"),
    # 能耗指标, 环保指标: an energy or emission budget, not an output quota
    ("production_quota", "quota", 2, "zh", r"配额|(?<!能耗)(?<!环保)(?<!排放)指标"),
    # consolidation
    ("consolidation", "consolidation", 3, "en", r"consolidat\w*"),
    ("consolidation", "merger", 3, "en", r"merg(?:e|es|ed|er|ers|ing)|acquisitions?|takeovers?"),
    ("consolidation", "integration", 3, "en", rf"integrat\w* {_W}{{0,5}}(?:into|to) {_W}{{0,4}}groups?"),
    ("consolidation", "integration", 3, "en", rf"integrated {_W}{{0,2}}groups?"),
    ("consolidation", "integration", 2, "en", r"(?:vertical )?integration"),
    ("consolidation", "integration", 2, "en", rf"(?:only )?\d+\s*[-–]\s*\d+ {_W}{{0,2}}groups?"),
    (
        "consolidation",
        "restructuring",
        3,
        "en",
        rf"restructur\w* (?:of|into) {_W}{{0,3}}(?:industry|producers|companies|enterprises|sector|groups?)",
    ),
    (
        "consolidation",
        "new_group",
        2,
        "en",
        rf"(?:set up|sets up|establish|established|establishes|formed|forms|created|creates) {_W}{{0,5}}groups?",
    ),
    (
        "consolidation",
        "integration",
        2,
        "en",
        r"(?:only |a few |into )?(?:\d+|two|three|four|five|a few)\s*(?:[-–]|or|to)\s*"
        rf"(?:\d+|three|four|five|six) {_W}{{0,2}}groups?",
    ),
    (
        "consolidation",
        "consolidation",
        3,
        "zh",
        r"(?<!随着)整合(?!期间|过程中|以来|之后|后)|兼并|重组|并购|集团化|(?:组建|成立).{0,10}集团|集团.{0,12}(?:成立|组建)",
    ),
    # stockpiling
    ("stockpiling", "stockpile", 3, "en", r"stockpil\w*|strategic reserves?|state reserves?|national reserves?"),
    (
        "stockpiling",
        "stockpile",
        3,
        "en",
        rf"buys? and stores?|(?:purchas\w*|buy\w*) {_W}{{0,3}}for (?:the )?(?:state |strategic )?reserves?",
    ),
    # a body that builds reserves of products holds stocks; "established reserves" of ore are geology
    (
        "stockpiling",
        "stockpile",
        3,
        "en",
        rf"(?:build|builds|building|set up|sets up|establish|establishes|establishing) (?:up )?{_W}{{0,2}}reserves?"
        r"(?! (?:base|life|estimates?|of \d))",
    ),
    (
        "stockpiling",
        "stockpile",
        3,
        "zh",
        r"收储|国家储备|战略储备|国储|储备局|(?:建立|实行|实施).{0,6}储备(?:制度|体系)?",
    ),
    # environmental_enforcement
    (
        "environmental_enforcement",
        "environmental_rules",
        3,
        "en",
        r"environmental (?:inspections?|inspectors?|checks?|crackdowns?|controls?|policies|policy|rules?|regulations?"
        r"|standards?|laws?|protection (?:inspections?|campaigns?|checks?)|enforcement|campaigns?"
        r"|rectification|audits?)",
    ),
    (
        "environmental_enforcement",
        "illegal_mining",
        3,
        "en",
        rf"crack\w* down on {_W}{{0,3}}illegal|illegal (?:mining|production|smelting)",
    ),
    (
        "environmental_enforcement",
        "green_rules",
        2,
        "en",
        r"green (?:mining|transformation|development|transition)|eco-friendly|protective development",
    ),
    (
        "environmental_enforcement",
        "mine_ban",
        3,
        "en",
        r"mines? (?:are|is|were|was|will be) (?:prohibited|banned|forbidden)",
    ),
    ("environmental_enforcement", "emissions", 2, "en", r"emissions? (?:standards?|limits?|rules?|caps?)|pollut\w+"),
    (
        "environmental_enforcement",
        "environmental_rules",
        3,
        "zh",
        r"环保督察|环保检查|环保核查|中央环保|环保(?:限产|整治|整改|政策|风暴|要求|趋严)|停产整顿|超低排放",
    ),
    ("environmental_enforcement", "illegal_mining", 3, "zh", r"打击.{0,6}(?:非法|违法)|非法开采|专项整治|取缔"),
    ("environmental_enforcement", "green_rules", 2, "zh", r"绿色矿山|绿色(?:开采|转型|发展)|关停|整改"),
    # capacity_plan
    (
        "capacity_plan",
        "capacity_expansion",
        3,
        "en",
        rf"(?:increas|expand|rais|boost|doubl|add|build|reach|lift)\w* {_W}{{0,5}}capacity",
    ),
    ("capacity_plan", "capacity_expansion", 3, "en", r"capacity (?:expansions?|increases?|targets?|plans?|additions?)"),
    # building supply outside the dominant producer: alternative sources, diversified supply chains
    (
        "capacity_plan",
        "alternative_supply",
        3,
        "en",
        rf"(?:build|develop|establish|create|secure)\w* {_W}{{0,3}}(?:alternative|non-Chinese)"
        r" (?:sources? of )?suppl(?:y|ies)"
        rf"|diversif\w* {_W}{{0,2}}(?:supply|supplies|sources)",
    ),
    (
        "capacity_plan",
        "alternative_supply",
        3,
        "zh",
        r"(?:建立|打造|发展|培育)(?:替代|多元化?)(?:供应|来源)|供应链多元化",
    ),
    (
        "capacity_plan",
        "capacity_cut",
        3,
        "en",
        # "amid overcapacity", "with excess capacity in China": a market condition, not a measure
        rf"(?:cut|reduc|eliminat|curb|phas)\w* {_W}{{0,4}}capacity|capacity replacement"
        r"|(?<!with\x20)(?<!amid\x20)(?<!to\x20)(?<!of\x20)(?<!from\x20)(?:overcapacity|excess capacity)",
    ),
    (
        "capacity_plan",
        "new_lines",
        3,
        "en",
        rf"(?:production|processing) lines? {_W}{{0,2}}(?:added|built|commissioned|launched)"
        rf"|new {_W}{{0,3}}production lines?",
    ),
    (
        "capacity_plan",
        "new_plant",
        2,
        "en",
        r"(?:refinery|smelter|plant|mine|processing) (?:ventures?|projects?|expansions?)",
    ),
    ("capacity_plan", "production_target", 2, "en", r"production targets?"),
    (
        "capacity_plan",
        "capacity_expansion",
        3,
        "zh",
        r"(?:扩大|新增|扩建|提升|提高|达到|形成|建成|规划).{0,8}产能|产能.{0,16}(?:扩大|扩张|提升|达到|目标)|扩产|投产",
    ),
    ("capacity_plan", "capacity_cut", 3, "zh", r"(?:压减|淘汰|削减|退出|化解).{0,6}产能|产能置换|落后产能|过剩产能"),
    ("capacity_plan", "new_lines", 2, "zh", r"新建.{0,10}(?:项目|生产线|产线)"),
    # industrial_policy: plans, platforms, exchanges, standards
    ("industrial_policy", "policy_title", 4, "en", r"opinions? (?:on|of) (?:promoting|accelerating|further|the)"),
    (
        "industrial_policy",
        "policy_title",
        3,
        "en",
        r"(?:development|action|industrial|five-year|economic) plans?|guidelines?|guiding opinions?",
    ),
    (
        "industrial_policy",
        "plan_to",
        2,
        "en",
        r"plans? to (?:accelerate|develop|promote|build|upgrade|establish|support|encourage|foster|strengthen)",
    ),
    (
        "industrial_policy",
        "platform",
        3,
        "en",
        r"(?:trading|innovation|research|service) (?:cent(?:er|re)s?|platforms?|hubs?)",
    ),
    ("industrial_policy", "platform", 2, "en", r"online platforms?|platforms?"),
    (
        "industrial_policy",
        "exchange",
        3,
        "en",
        rf"(?:upgrade|establish|set up|launch|build)\w* {_W}{{0,6}}exchange|(?:products?|metals?) exchange",
    ),
    ("industrial_policy", "cluster", 2, "en", r"industr(?:y|ial) clusters?|(?:industrial|designated|chemical) parks?"),
    (
        "industrial_policy",
        "policy_title",
        4,
        "en",
        r"(?:regulations?|measures|rules|law|provisions) (?:on|for) (?:the )?(?:administration|management|regulation)",
    ),
    (
        "industrial_policy",
        "strategic_resource",
        2,
        "en",
        rf"designat\w* {_W}{{0,5}}(?:as )?(?:a )?(?:\w+ )?strategic (?:resources?|minerals?)",
    ),
    ("industrial_policy", "minimum_scale", 3, "en", rf"minimum {_W}{{0,2}}scale"),
    (
        "industrial_policy",
        "coordinated_action",
        3,
        "en",
        r"coordinated actions?|de-?sinici[sz]\w*|(?:reduce|cut) (?:\w+ )?(?:reliance|dependence) on china",
    ),
    (
        "industrial_policy",
        "project",
        2,
        "en",
        rf"(?:launch|initiate|start)\w* (?:a |the )?{_W}{{0,6}}(?:project|program|programme|initiative)",
    ),
    ("industrial_policy", "output_target", 2, "en", r"output value (?:will|to|of)"),
    ("industrial_policy", "restrictions", 2, "en", rf"(?:introduce|impose|tighten)\w* {_W}{{0,2}}restrictions"),
    ("industrial_policy", "policy", 1, "en", r"polic(?:y|ies)|regulations?|standards?"),
    (
        "industrial_policy",
        "policy_title",
        3,
        "zh",
        r"实施方案|行动(?:计划|方案)|指导意见|若干意见|发展规划|产业规划|管理办法|管理条例",
    ),
    ("industrial_policy", "platform", 3, "zh", r"交易(?:中心|所|平台)|创新(?:中心|平台)|服务平台"),
    ("industrial_policy", "cluster", 2, "zh", r"产业集群|产业园|产业基地"),
    # 提前规划采购 "plan purchases ahead": 规划 as a firm's verb, not a government plan
    ("industrial_policy", "policy", 2, "zh", r"(?<!提前)(?<!需)规划(?!采购|布局|生产)|意见|政策|标准|战略性?资源"),
    # trade_measure
    (
        "trade_measure",
        "tariff",
        3,
        "en",
        r"tariffs?|anti-?dumping|countervailing|(?:import|export) (?:duty|duties|taxes?)",
    ),
    ("trade_measure", "import_rules", 3, "en", r"import (?:bans?|restrictions?|rules?|licen[cs]es?|quotas?)"),
    ("trade_measure", "trade_deal", 3, "en", r"trade (?:deals?|agreements?|truce)"),
    ("trade_measure", "tariff", 3, "zh", r"关税|反倾销|反补贴|加征|出口税|进口(?:禁令|限制)|贸易(?:协议|协定|休战)"),
    # subsidy
    ("subsidy", "subsidy", 3, "en", r"subsid\w+|grants?|tax (?:credits?|breaks?|incentives?|rebates?)"),
    ("subsidy", "loan", 3, "en", rf"(?:offer|provid|extend|grant)\w* {_W}{{0,3}}loans?|loans? (?:of|worth)"),
    (
        "subsidy",
        "funding",
        3,
        "en",
        rf"fund(?:s|ed|ing) {_W}{{0,4}}(?:plants?|factories|projects?|mines?|refiner\w+|facilit\w+)",
    ),
    (
        "subsidy",
        "award",
        3,
        "en",
        r"award\w*\s*(?:US)?\$?\s*\d[\d,.]*|funding (?:of|worth|for)|(?:fund|funds) (?:of|worth)",
    ),
    ("subsidy", "subsidy", 3, "zh", r"补贴|补助|专项资金|奖励资金|税收优惠|退税"),
    # recycling_mandate
    (
        "recycling_mandate",
        "recycled_content",
        3,
        "en",
        rf"recycl\w* {_W}{{0,3}}(?:mandates?|requirements?|targets?|quotas?|content|obligations?)",
    ),
    ("recycling_mandate", "recycled_content", 3, "en", rf"(?:mandat|requir)\w* {_W}{{0,6}}recycl\w*"),
    (
        "recycling_mandate",
        "recycling_programme",
        2,
        "en",
        r"recycling (?:programs?|programmes?|polic(?:y|ies)|laws?|regulations?)",
    ),
    (
        "recycling_mandate",
        "recycled_content",
        3,
        "zh",
        r"回收.{0,6}(?:要求|目标|比例|强制|义务)|再生.{0,4}(?:比例|要求|目标)",
    ),
    # supply_disruption
    ("supply_disruption", "shortage", 3, "en", r"shortages?"),
    (
        "supply_disruption",
        "output_cut",
        3,
        "en",
        r"(?:production|output|supply|supplies|operations?|mining|shipments?)"
        r" (?:halts?|halted|disruptions?|cuts?|suspensions?|stoppages?|curtailments?)",
    ),
    (
        "supply_disruption",
        "output_cut",
        3,
        "en",
        r"(?:halt|halted|halting|suspend\w*|curtail\w*|stopp?\w*|cut|cuts|cutting|shut|shuts|shutting|idl\w+) "
        rf"{_W}{{0,3}}(?:production|output|operations?|mining|plants?|smelters?|mines?)",
    ),
    (
        "supply_disruption",
        "output_cut",
        3,
        "en",
        r"(?:cuts?|reductions?) in (?:production|output|supply)|shut ?downs?|force majeure",
    ),
    (
        "supply_disruption",
        "closure",
        2,
        "en",
        rf"(?:closure|closing|suspension) of {_W}{{0,4}}(?:mines?|plants?|smelters?|factories|producers)",
    ),
    ("supply_disruption", "disruption", 2, "en", r"disrupt\w+|power (?:cuts?|rationing)"),
    ("supply_disruption", "output_cut", 3, "zh", r"压减(?:产量|生产)|停产|减产|限产|断供|停工|限电|停运|短缺|供应中断"),
    # wordings added for classes seen missing on held-out text
    (
        "environmental_enforcement",
        "inspection",
        3,
        "en",
        rf"inspections? (?:of|at) {_W}{{0,3}}(?:mines?|mining|sites?|plants?|smelters?|kilns?|factories)"
        r"|inspection campaigns?|inspectors?",
    ),
    ("environmental_enforcement", "mine_ban", 3, "en", rf"no (?:more )?new {_W}{{0,3}}mines?"),
    ("environmental_enforcement", "mine_ban", 3, "zh", r"(?:不再|禁止|不得)新建.{0,8}矿"),
    ("industrial_policy", "minimum_scale", 3, "zh", r"规模不得低于|最低.{0,4}规模|规模.{0,4}不低于"),
    ("industrial_policy", "cluster", 3, "en", r"(?:designated|industrial) parks?"),
    ("industrial_policy", "cluster", 3, "zh", r"进入园区|产业集聚"),
    (
        "supply_disruption",
        "ordered_stop",
        3,
        "en",
        rf"(?:order|told|tell|requir|ask)\w* {_W}{{0,7}}(?:smelters?|plants?|mines?|producers|factories|companies"
        r"|enterprises|kilns?) to (?:stop|halt|suspend|cut|shut|close|reduce)",
    ),
    (
        "supply_disruption",
        "curbed",
        3,
        "en",
        rf"(?:smelters?|plants?|mines?|producers|output|production|kilns?) {_W}{{0,3}}(?:were|was|are|is|being|been)"
        r" (?:curbed|halted|shut|closed|suspended|cut|idled)",
    ),
    ("supply_disruption", "run_cut", 3, "en", rf"cut {_W}{{0,1}}runs|run cuts|(?:lower|reduced?) (?:operating )?rates"),
    (
        "supply_disruption",
        "closure",
        2,
        "en",
        rf"(?:closed|shut|shuttered|closing) {_W}{{0,4}}"
        r"(?:kilns?|mines?|plants?|smelters?|factories|producers|workshops)",
    ),
    (
        "export_control",
        "export_control",
        3,
        "en",
        r"(?:ban|bans|banned|banning|restrict\w*|curb|curbs|curbed|curbing|limit\w*|halt\w*|suspend\w*|tighten\w*)"
        rf" {_W}{{1,3}}exports?",
    ),
    ("production_quota", "total_control", 3, "zh", r"总量(?:调控|管理)"),
    ("stockpiling", "stockpile", 3, "zh", r"储备制度|产品储备|收储"),
    (
        "supply_disruption",
        "border_closure",
        3,
        "en",
        rf"(?:border|crossings?|gates?|ports?) {_W}{{0,4}}(?:were|was|are|is|been|being) (?:closed|shut|blocked)"
        r"|border closures?|closed (?:the |its )?border",
    ),
    (
        "supply_disruption",
        "output_cut",
        3,
        "en",
        rf"(?:halt|halted|halting|suspend\w*|stopp?\w*|block\w*) {_W}{{0,3}}(?:shipments?|deliveries|imports|supplies)",
    ),
    ("supply_disruption", "border_closure", 3, "zh", r"口岸关闭|关闭口岸|封关|(?:进口|运输|供应)受阻"),
    (
        "capacity_plan",
        "start_production",
        2,
        "en",
        r"(?:began|begins|begun|started|starts|commenced|commences)"
        r" (?:commercial |trial |full )?(?:production|operations?)",
    ),
    ("capacity_plan", "start_production", 2, "zh", r"试生产|正式投产|建成投产"),
    (
        "consolidation",
        "merger",
        2,
        "en",
        r"acquir(?:e|es|ed|ing) (?:a |an |the )?(?:\w+ )?(?:stake|control|shares?|company|miner|producer)",
    ),
    (
        "consolidation",
        "new_group",
        2,
        "en",
        r"groups? (?:was|were|has been|have been|is being|will be) (?:set up|established|formed|created|launched)",
    ),
    ("environmental_enforcement", "illegal_mining", 3, "en", rf"clamp\w* down on {_W}{{0,3}}(?:illegal|smuggl\w*)"),
    ("export_control", "smuggling", 3, "en", rf"clamp\w* down on {_W}{{0,2}}(?:exports?|smuggl\w*)"),
    ("production_quota", "production_limit", 2, "en", r"(?:production|output|mining) (?:restrictions?|curbs?|limits?)"),
    ("stockpiling", "stockpile", 2, "en", r"reserve bureau"),
    ("trade_measure", "trade_deal", 3, "en", r"(?:critical )?minerals? (?:agreements?|deals?|partnerships?|pacts?)"),
    ("industrial_policy", "project", 2, "en", r"strategic projects?"),
    ("industrial_policy", "policy_title", 3, "zh", r"规范条件|准入条件"),
    # a named law or act ("Critical Raw Materials Act", "Export Control Law"): capitals matter here
    ("industrial_policy", "named_law", 2, "en_cased", r"(?:[A-Z][a-z]+\s+){1,5}(?:Act|Law)"),
)

TRIGGERS: tuple[Trigger, ...] = tuple(
    Trigger(kind, wording_class, weight, _compile(lang, source)) for kind, wording_class, weight, lang, source in _RAW
)

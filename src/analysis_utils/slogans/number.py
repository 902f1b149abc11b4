"""Number slogans (数字化提法) found by pattern, so unseen ones stay whole.

A number slogan is a phrase that starts with a Chinese numeral (一…九, 十, 十一…九十九,
两, 双, 百, 千; 万 inside chained ones) and uses the number as part of a *name*: the
speaker could say "落实 X" and everyone knows the set X stands for. Plain quantities and
structure words use the number to count, and are not slogans.

The rules (each hit records which one found it):

``lexicon``
    A lexicon phrase that starts with a numeral (``两个一百年``, ``百年未有之大变局``,
    ``一个中国原则``, ``三重压力``) is always a number slogan, idiom or not.
``chained``
    Two to four numeral-led segments in a row, each a numeral plus one to three
    characters: ``一征三议两公开``, ``双推双评三全程``, ``三级联创五化并举``,
    ``三去一降一补``, ``两个市场两种资源``, ``万企兴万村``. It must end at punctuation, the
    end of the text, or a head word such as 工作法/制度/活动. Not chains: segments that
    count time or times (``一年比一年``, ``一次又一次``), and idioms (below).
``five_year``
    ``十三五``, ``十四五``, ``十五五``.
``numbered_set``
    Numeral (not 一) + classifier + a named head: ``四个意识``, ``两个维护``, ``十四个坚持``,
    ``七个模范``, ``两个积极性`` (个 + a head that ends at punctuation or a head word and is
    either a set name — :data:`ABSTRACT_HEADS`: 意识, 大局, 模范, 品质 … — or, per jieba's
    dictionary, a verb or adverb (坚持, 维护, 务必; adjectives only before punctuation); so
    ``三个月``, ``五个方面``, ``两个翅膀``, ``两个宏伟目标`` are quantities); ``三大攻坚战``,
    ``两大奇迹`` (大 + :data:`DA_HEADS`; ``中印两大文明``, ``五大银行`` count things and
    ``十九大`` is a congress); ``四项基本原则``, ``八项规定``, ``五项重点任务`` (项 + 原则/规定/任务…);
    ``七条底线`` (条); ``十种意识``, ``四种危险`` (种 + 意识/能力/危险…); ``十件实事``,
    ``三件大事`` (件 + 实事/大事); ``七型部门``, ``两型社会`` (型); ``五星支部`` (星, but not
    ``五星红旗``); ``三级联动``, ``五级书记`` (级 + 联动/书记…); ``四化同步`` (化 + 同步/并举…);
    ``五位一体``; ``三社联动``, ``两翼融合``, ``双轮驱动`` (numeral + one character +
    联动/融合/驱动…); ``两步走``.
``quoted``
    Any numeral-led phrase the text puts in quotation marks (“三新”, “两委”, “三单制”,
    “六稳”), unless it is a quantity or structure word, a lexicalised word or an idiom.

Never slogans, whatever the rule: ``一`` + classifier (``一个``, ``一大``, ``一项``: the
indefinite article, as in ``一个持久和平的世界``); ordinals (``第一``, ``第三批``);
enumeration words (``一是``, ``二是``); numbers with 点/分之 (``七点二个百分点``,
``百分之十八点五``); digits; numerals inside words (``统一``, ``唯一``, ``长三角``,
``之一``); Party congresses and plenums (``十九大``, ``十九届六中全会``: counted as
lexicon formulations, not number slogans); lexicalised words that merely start with a
numeral (``一把手``, ``一线``, ``两岸``, ``一刀切``, ``一体化``); idioms (成语), legends,
historical and book phrases (``五湖四海``, ``一心一意``, ``九牛一毛``, ``三顾茅庐``,
``三大战役``, ``十年磨一剑``), except political ones such as ``八荣八耻``; durations naming a programme (``国企改革三年行动``, ``长江十年禁渔``:
the number counts years, add the programme to the lexicon to count it).

**Nesting, chains, references.** A slogan inside a longer one is reported once, under the
longer (``两不愁三保障``, not also ``三保障``; a lexicon phrase inside a chain only when the rest of
the chain is more lexicon phrases: “六稳”“六保” are two). A chain written with its segments apart
(``两不愁、三保障``, ``双随机、一公开``, ``“两不愁”“三保障”``: each segment a numeral and one or two
characters) stays one hit, as written; not an enumeration (``一要吃饭，二要建设``) nor part of a
longer list. A set slogan referred back to with a demonstrative is found: ``这四个意识``,
``这两件大事`` as the slogan itself; ``这“四个”``, ``这两个，`` (the number alone) in
:func:`number_slogans` only, counted under the nearest slogan before it with the same number and
classifier (detail ``demonstrative``); without one before it, it is not counted.

The idioms are the bundled list ``data/number_idioms.txt`` (:func:`builtin_idioms`: jieba's
dictionary entries tagged ``i``/``l`` with a numeral, plus a hand list such as ``九牛一毛``,
``三从四德``, ``三人行必有我师``), found with one Aho–Corasick pass per window.

:func:`find_number_slogans` is what the tokeniser uses to keep them whole;
:func:`number_slogan_spans` also says which rule found each one (notebook 03), and
:func:`number_slogans` lists them in a speech as a hit table.

Example:
    >>> [w for _, _, w in find_number_slogans("增强“四个意识”，工作三个月后，推广一征三议两公开工作法")]
    ['四个意识', '一征三议两公开']
"""
from __future__ import annotations

import os
import re
from collections.abc import Container, Iterable
from functools import lru_cache

import pandas as pd

from ..config import DATA_DIR
from ..outline.parts import Sections
from ..speech import Speech
from ..text import HAN, is_han, leftmost_longest
from .hits import hit_table, sections_of
from .lexicon import LexiconSource, resolve_lexicon

_D = "一二三四五六七八九"
#: One numeral: 一…九, 十, 十一…九十九, 两, 双, 百, 千.
NUMERAL = rf"(?:[{_D}]?十[{_D}]?|[{_D}两双百千])"
#: A numeral that is not 一 (一 + classifier is the indefinite article).
NUMERAL_NOT_ONE = rf"(?:[{_D}]?十[{_D}]?|[二三四五六七八九两])"
#: Numerals of chained slogans (万企兴万村).
CHAIN_NUMERAL = rf"(?:[{_D}]?十[{_D}]?|[{_D}两双百千万])"
_NUM_CHARS = _D + "十两双百千万亿零〇"
#: What may stand right before a slogan's numeral: not a numeral, digit, 第, nor a
#: character that makes a word with it (统一, 唯一, 之一, 进一步, 长三角, 周一, 如一 …).
_GUARD = (
    rf"(?<![{_NUM_CHARS}第0-9０-９.．×Xx])"
    r"(?:(?<![统唯之同单划合专逐均纯进又另每其任如这那某初周礼])|(?!一))"  # 统一, 唯一, 进一步 …
    r"(?:(?<![长再])|(?!三))"  # 长三角, 再三
)
_OPEN_Q, _CLOSE_Q = "“‘「『", "”’」』"
_PUNCT = "“”‘’「」『』《》（）()、，。；：！？,.;:!?…—\\s"
_BOUNDARY = rf"(?=[{_PUNCT}]|$)"

#: Head words that may follow a slogan without being part of it.
TAIL_WORDS = (
    "工作法", "工作", "制度", "活动", "工程", "机制", "模式", "行动", "建设", "要求", "原则", "理念",
    "战略", "格局", "体系", "目标", "任务", "主题", "精神", "标准", "做法", "经验", "改革", "政策",
    "重要思想", "总体布局", "战略布局", "布局", "学习教育", "专题教育", "主题教育", "教育", "方针",
    "实践", "理论", "思想", "部署", "创建", "管理", "试点", "规划", "方案", "措施", "联动", "的",
)
_TAIL = "|".join(sorted(TAIL_WORDS, key=len, reverse=True))

# -- chained -----------------------------------------------------------------------------
_SEG = rf"{CHAIN_NUMERAL}(?![点分])[^{_NUM_CHARS}\W\d_A-Za-z×]{{1,3}}"
CHAINED_RE = re.compile(rf"{_GUARD}(?:{_SEG}){{2,4}}(?=[^{HAN}]|$|{_TAIL})")
#: A chain written with its segments apart (两不愁、三保障, 双随机、一公开, “两不愁”“三保障”):
#: each segment a numeral and one or two characters, joined by 、 or ， or quoted side by side;
#: not inside a longer list (一气，二体，三类，四物，五声…).
_SEG_SHORT = rf"{CHAIN_NUMERAL}(?![点分])[^{_NUM_CHARS}\W\d_A-Za-z×]{{1,2}}"
_CHAIN_SEP = "(?:[、，]|[”’」』][“‘「『])"
SPLIT_CHAINED_RE = re.compile(
    rf"(?<![、，]){_GUARD}{_SEG_SHORT}(?:{_CHAIN_SEP}{_SEG_SHORT}){{1,3}}(?=[^{HAN}]|$|{_TAIL})(?!{_CHAIN_SEP}{CHAIN_NUMERAL})"
)
_CHAIN_SEP_RE = re.compile(_CHAIN_SEP)
_SEGMENT_RE = re.compile(r"[^、，”’」』“‘「『]+")
#: A split chain is an enumeration when a segment counts (二要建设, 一靠教育) rather than names.
_ENUMERATION_START = set("要靠是则来面方边起")
_CHAIN_SPLIT_RE = re.compile(rf"{CHAIN_NUMERAL}[^{_NUM_CHARS}]+")
#: A chain segment may not count time or times: 一年比一年, 一次又一次, 一代又一代.
_UNIT_AFTER_NUMERAL = set("年月日天周时次遍倍点岁名位元期批届代辈回趟秒分")
_CONNECTIVE_END = set("又接比连再复至到")
#: Characters that never stand inside a chained slogan's segment (the chain is a phrase).
_FUNCTION_CHARS = set("的之了着在是为由和于与及把被从向对以而也都就才更比")
_QUOTE_FUNCTION_CHARS = set("的之了着更比被把在就都也又很得地")
_MEASURE_WORDS = set("个张条件只根棵头匹块片座辆架本把份场群包口")

# -- five-year plans -----------------------------------------------------------------------
FIVE_YEAR_RE = re.compile(rf"(?<![{_NUM_CHARS}第0-9])十[{_D}]五(?![{_NUM_CHARS}年月日岁个亿万点%倍名人元周0-9])")

# -- numbered sets ---------------------------------------------------------------------------
_GE_RE = re.compile(rf"{_GUARD}({NUMERAL_NOT_ONE})个(?=[{HAN}])")
#: N大 + a head that names a set (三大攻坚战, 两大奇迹, 三大纪律, 四大考验); other N大 + noun
#: phrases count things (中印两大文明, 五大银行) or name congresses (十九大).
DA_HEADS = ("攻坚战", "战役", "纪律", "奇迹", "考验", "法宝", "优良作风", "作风", "发展理念", "战略", "关系", "历史任务", "任务", "改造", "危险")
_DA_RE = re.compile(rf"{_GUARD}(?:{NUMERAL_NOT_ONE})大(?:{'|'.join(DA_HEADS)})")
#: Heads of N个 that name sets (四个意识, 两个大局, 七个模范, 五个品质, 两个积极性).
ABSTRACT_HEADS = frozenset({
    "意识", "自信", "大局", "模范", "品质", "代表", "积极性", "基本点", "责任", "覆盖", "作风", "本领",
    "能力", "面向", "转变", "伟大", "必须", "没有变", "始终", "牢记", "不摘", "最严", "凡是", "翻番",
    "务必", "结合", "有利于", "服务", "明确", "全面", "坚持", "维护", "确立", "精准", "毫不动摇",
    "一百年", "区分开来", "必由之路", "重大原则", "方面成就", "不动摇", "过硬", "带头", "表率", "到位",
})
#: Head words of 个 that make a quantity or a structure word, not a slogan.
_GE_BAD_START = (
    "月", "小时", "星期", "方面", "百分点", "人", "多", "以上", "左右", "亿", "万", "千", "百", "国家",
    "地区", "城市", "省", "市", "县", "区", "村", "乡", "镇", "项目", "单位", "部门", "问题", "环节",
    "阶段", "层次", "年", "字", "台阶", "世纪", "季度", "班", "批", "点", "周", "小组", "组", "重点",
    "工作日", "步骤", "领域", "层面", "渠道", "平台", "中心", "基地", "园区", "试点", "案例", "文件",
    "会议", "企业", "学校", "支部", "社区", "家庭", "孩子", "同志", "代表", "委员", "亿", "成员", "国",
    "百", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "两", "半", "整", "月", "天",
    "晚上", "上午", "下午", "地方", "例子", "故事", "数字", "指标", "部分", "方向", "关键", "类",
    "片断", "基本", "突出", "感人", "宏伟", "伟大民族", "身体", "翅膀", "轮子",
)
_GE_BAD_END = set("人者员们国省市县村家所处个次年月天里米元")
_RULE_HEADS: dict[str, tuple[str, ...]] = {
    "项": ("基本原则", "重点任务", "原则", "规定", "注意", "任务", "措施", "要求", "制度", "纪律", "禁令", "承诺", "工程", "行动"),
    "条": ("底线", "红线", "原则", "规定", "禁令", "措施", "要求", "经验", "标准"),
    "种": ("意识", "能力", "精神", "作风", "本领", "品质", "素养", "思维", "危险", "风险", "考验", "形态"),
    "件": ("民生实事", "实事", "大事", "好事", "要事"),
    "级": ("联动", "联创", "联建", "联抓", "书记", "同创", "联席", "联防", "齐抓", "共建", "联审", "联治", "贯通", "同步"),
    "化": ("同步", "并举", "融合", "协同", "联动", "一体", "并进"),
}
_RULE_RES = {
    cls: re.compile(rf"{_GUARD}({NUMERAL_NOT_ONE}){cls}(?:{'|'.join(sorted(heads, key=len, reverse=True))})")
    for cls, heads in _RULE_HEADS.items()
}
_XING_RE = re.compile(rf"{_GUARD}{NUMERAL_NOT_ONE}型[{HAN}]{{2}}")
_XING_STAR_RE = re.compile(rf"{_GUARD}{NUMERAL_NOT_ONE}星(?!红旗|级|期|座|连珠|高照|上将)[{HAN}]{{2}}(?=[{_PUNCT}]|$|{_TAIL}|创建)")
_WEI_RE = re.compile(rf"{_GUARD}{NUMERAL}位一体")
_BU_RE = re.compile(rf"{_GUARD}{NUMERAL_NOT_ONE}步走")
_VERBS = (
    "联动", "融合", "齐飞", "驱动", "并举", "同步", "协同", "共治", "齐抓", "合一", "互动", "并重",
    "并行", "共建", "联创", "发力", "并进", "统筹", "互促", "共融", "联建", "共享", "联通",
)
_NX_VERB_RE = re.compile(
    rf"{_GUARD}(?:[{_D[1:]}]|两|双|十)(?![个大项条种件型星级化位步年月日天周时次点批期届名人元是为在和与及把被从向对以而也都就才的了着])[{HAN}](?:{'|'.join(_VERBS)})"
)

# -- quoted ------------------------------------------------------------------------------------
QUOTED_RE = re.compile(rf"[“‘「『]({CHAIN_NUMERAL}[^“”‘’「」『』\s，。；！？、,.;!?:：]{{1,9}})[”’」』]")
#: Quantities and structure words that look like slogans but are not.
NOT_SLOGAN_RE = re.compile(
    rf"^(?:{CHAIN_NUMERAL}+(?:个|种|大|项|件|条)?(?:是|则|来|方面|点|期|批|项|件|次|年|月|天|日|届|名|位|人|种|条|家|所|级|倍|成|些|样|个|岁|元|份|遍|回)|第.*|{CHAIN_NUMERAL}+)$"
)
#: Party congresses and plenums: lexicon formulations, not number slogans.
MEETING_RE = re.compile(rf"届.*全会|{NUMERAL}中全会|次全国代表大会|^[{_D}]?十[{_D}]?大$|^[七八九]大$")
#: A phrase that starts with a congress or plenum (十九大精神, 十八届三中全会).
CONGRESS_RE = re.compile(rf"^(?:[{_D}]?十[{_D}]?|[七八九])(?:大|届)(?!关系)")
#: Words that merely start with a numeral (lexicalised): never number slogans.
LEXICALISED = (
    "一把手", "一线", "一流", "一刀切", "一盘棋", "一站式", "一揽子", "一体化", "一体", "一致", "一切",
    "一系列", "一些", "一批", "一道", "一起", "一定", "一般", "一律", "一贯", "一向", "一直", "一旦",
    "一同", "一齐", "两岸", "两极", "两手", "两侧", "两旁", "两头", "两边", "两者", "双方", "双边",
    "双向", "双重", "双赢", "双手", "双月", "双语", "双休", "三角", "千万", "万一", "百姓", "千秋",
    "百年", "千年", "万年", "十分", "十足", "十全", "百倍", "千家", "万家", "五星红旗",
    "二者", "三者", "一家", "一步", "一大", "一样", "一番", "两国", "两党", "两军",
)
#: Lexicon phrases starting with these are formulations but not number slogans.
LEXICON_NOT_NUMBER = ("一体化", "一体", "一流", "一线", "一切", "一致", "一些", "一系列", "两岸")
#: Numeral idioms that are political slogans after all (left out of :func:`builtin_idioms`).
POLITICAL_IDIOMS = frozenset({"八荣八耻", "三来一补", "三反五反", "三自一包", "七通一平", "四增四减", "一大二公", "一国两制", "五位一体"})
#: The bundled list of numeral idioms, legends, historical and book phrases (several thousand).
IDIOMS_FILE = DATA_DIR / "number_idioms.txt"


#: jieba's tag table when a :class:`~analysis_utils.Tokenizer` has already read it (see :func:`share_jieba_tags`).
_SHARED_TAGS: dict[str, str] | None = None


def share_jieba_tags(table: dict[str, str]) -> None:
    """Use ``table`` (jieba's ``word → tag`` of its ``dict.txt``, as ``jieba.posseg`` reads it) for
    the tags of slogan heads, instead of reading ``dict.txt`` once more: the tokenizer passes the
    table its tagger has read (the same file, the same last-line-wins rule)."""
    global _SHARED_TAGS
    if _SHARED_TAGS is None:
        _SHARED_TAGS = table


@lru_cache(maxsize=1)
def _jieba_tags() -> dict[str, str]:
    """The tag of every two-character word of jieba's dictionary (read once, when no tokenizer
    has shared its table): the only words :func:`_tag` is asked about."""
    try:
        import jieba

        path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
        with open(path, encoding="utf-8") as fh:
            return dict(re.findall(r"^(\S\S) \d+ (\S+)$", fh.read(), re.M))
    except (ImportError, OSError):
        return {}


@lru_cache(maxsize=1)
def builtin_idioms() -> frozenset[str]:
    """Idioms (成语), legends, historical and book phrases with a numeral, never number slogans:
    the bundled list ``data/number_idioms.txt`` (generated from jieba's dictionary entries tagged
    ``i``/``l``, plus a hand list of fixed phrases jieba tags otherwise), minus :data:`POLITICAL_IDIOMS`.

    Example:
        >>> [w in builtin_idioms() for w in ("五湖四海", "九牛一毛", "三人行必有我师", "八荣八耻")]
        [True, True, True, False]
    """
    lines = IDIOMS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#")) - POLITICAL_IDIOMS


def _tag(word: str) -> str | None:
    """jieba's dictionary tag of a two-character word."""
    return (_SHARED_TAGS if _SHARED_TAGS is not None else _jieba_tags()).get(word)


@lru_cache(maxsize=1)
def _idiom_automaton():
    import ahocorasick

    a = ahocorasick.Automaton()
    for w in builtin_idioms():
        a.add_word(w, len(w))
    a.make_automaton()
    return a


def _idiom_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the idioms in ``text``, leftmost-longest (one Aho–Corasick pass)."""
    return leftmost_longest((end + 1 - n, end + 1) for end, n in _idiom_automaton().iter(text))


def is_quantity_or_structure(word: str) -> bool:
    """True for quantities and structure words that look like slogans (三个月, 一是, 第一).

    Example:
        >>> [is_quantity_or_structure(w) for w in ("三个月", "一是", "第一", "四个意识", "十四五")]
        [True, True, True, False, False]
    """
    return bool(NOT_SLOGAN_RE.match(word)) and not FIVE_YEAR_RE.fullmatch(word)


def _lexicalised(word: str) -> bool:
    return word.startswith(LEXICALISED)


_CHAIN_NUMERAL_RE = re.compile(CHAIN_NUMERAL)


def _split_numeral(word: str) -> tuple[str, str]:
    """(the leading numeral, the rest) of a numeral-led word."""
    m = _CHAIN_NUMERAL_RE.match(word)
    n = m.end() if m else 0
    return word[:n], word[n:]


def _good_chain(word: str) -> bool:
    """Is ``word`` a chained slogan rather than a repetition, a proverb or two quantities?"""
    segs = _CHAIN_SPLIT_RE.findall(word)
    if len(segs) < 2:
        return False
    firsts = []
    for i, seg in enumerate(segs):
        numeral, rest = _split_numeral(seg)
        if not rest or rest[0] in _UNIT_AFTER_NUMERAL or rest[-1] in _CONNECTIVE_END:
            return False
        if any(c in _FUNCTION_CHARS for c in rest) or _lexicalised(seg) or CONGRESS_RE.match(seg):
            return False
        if i == 0 and numeral == "一" and rest[0] in _MEASURE_WORDS:
            return False  # 一个好汉三个帮, 一张报纸一包烟
        firsts.append(rest[0])
    return len(set(firsts)) == len(firsts)  # 一阵放一阵, 一级抓一级, 千学万学: repetitions


def _good_split_chain(word: str) -> bool:
    """Is ``word`` (segments apart: 两不愁、三保障) one chained slogan rather than an enumeration
    (一要吃饭，二要建设), a list of quantities (五年、十年) or a repetition (三中、四中)?"""
    segs = _CHAIN_SEP_RE.split(word)
    if any(seg[0] == "二" or seg[1] in _ENUMERATION_START for seg in segs):
        return False
    return _good_chain("".join(segs))


def _good_quoted(word: str) -> bool:
    """Is a quoted numeral-led phrase a slogan rather than a saying or a quantity?"""
    if any(c in _QUOTE_FUNCTION_CHARS for c in word):
        return False  # 一代更比一代强, 千岛之国
    numeral, rest = _split_numeral(word)
    if (rest[:1] in _MEASURE_WORDS - {"个"} or (numeral == "一" and rest[:1] == "个")) and not _good_chain(word):
        return False  # 两条腿, 一棵树挡不住寒风
    return True


def _head_with_boundary(text: str, pos: int, lengths=(4, 3, 2), *, tails: bool = True) -> int | None:
    """Length of the head starting at ``pos`` that ends at punctuation, the end or a tail word."""
    for n in lengths:
        head = text[pos:pos + n]
        if len(head) < n or not all(is_han(c) for c in head) or any(c in _NUM_CHARS for c in head):
            continue
        after = text[pos + n:]
        if not after or after[0] in _PUNCT or after[0].isspace() or after[0] in "和与及等":
            return n
        if tails and any(after.startswith(t) for t in TAIL_WORDS if t != "的"):
            return n
    return None


def _ge_head_ok(head: str, after: str) -> bool:
    """Is ``head`` (after N个) the name of a set? Abstract slogan heads always; verbs and
    adverbs (坚持, 维护, 务必) before punctuation or a head word; adjectives before punctuation."""
    if head in ABSTRACT_HEADS:
        return True
    if len(head) != 2 or any(head.startswith(b) for b in _GE_BAD_START) or head[-1] in _GE_BAD_END:
        return False
    tag = _tag(head) or ""
    punct = not after or after[0] in _PUNCT or after[0] in "和与及等"
    if tag.startswith(("v", "d")) and tag not in ("vn",):
        return True
    return tag.startswith("a") and punct


#: The numbered-set patterns after N个, in the order their hits are listed.
_SET_RES = (_DA_RE, *_RULE_RES.values(), _XING_RE, _XING_STAR_RE, _WEI_RE, _BU_RE, _NX_VERB_RE)


def _numbered_sets(text: str, at: dict[int, list[int]]) -> Iterable[tuple[int, int, str]]:
    for m in _matches(_GE_RE, text, at):
        p = m.end()
        n = _head_with_boundary(text, p)
        if n is None or not _ge_head_ok(text[p:p + n], text[p + n:p + n + 1]):
            continue
        yield m.start(), p + n, "numbered_set"
    for rx in _SET_RES:
        if id(rx) in at:
            for m in _matches(rx, text, at):
                yield m.start(), m.end(), "numbered_set"


#: Every number slogan starts at a numeral (or the quote before one) and is at most about
#: 30 characters long with its look-ahead; the patterns only ever run on windows around
#: numerals, which is where all the time went on long texts.
_STARTS_RE = re.compile(rf"[{_NUM_CHARS}{_OPEN_Q}]")
_BEFORE, _AFTER = 8, 48


def _windows(text: str) -> list[tuple[int, int, list[int]]]:
    """Merged ``(start, end, starts)`` windows around every numeral (and quote) in ``text``;
    ``starts`` are the offsets of those numerals and quotes in the window.

    Example:
        >>> _windows("甲" * 20 + "“四个意识”" + "乙" * 60)
        [(12, 69, [8, 9])]
    """
    out: list[tuple[int, int, list[int]]] = []
    n, a, b = len(text), 0, -1
    starts: list[int] = []
    for m in _STARTS_RE.finditer(text):
        p = m.start()
        if p - _BEFORE > b:  # a new window
            if starts:
                out.append((a, b, starts))
            a, starts = max(0, p - _BEFORE), []
        b = min(n, p + _AFTER)
        starts.append(p - a)
    if starts:
        out.append((a, b, starts))
    return out


#: The patterns' first characters: every pattern starts with a look-behind guard, which stops
#: the regex engine from skipping ahead to a possible first character, so a pattern run over
#: a window tries every position. Instead each pattern is tried only where it can start (a
#: numeral, or an opening quote before one), picked by what follows: the classifier after the
#: numeral (个, 大, 项 …: the numeral is one to three characters), a verb two characters on, a
#: second numeral within a chain's reach.
_CHAIN_CHARS = frozenset(_D + "十两双百千万")
_CHAIN_CHAR_RE = re.compile(f"[{_D}十两双百千万]")
_BY_CLASSIFIER = {"个": _GE_RE, "大": _DA_RE, **_RULE_RES, "型": _XING_RE, "星": _XING_STAR_RE, "位": _WEI_RE, "步": _BU_RE}
_CLASSIFIERS = frozenset(_BY_CLASSIFIER)
_VERB_SET = frozenset(_VERBS)


def _starts_by_pattern(text: str, starts: list[int]) -> dict[int, list[int]]:
    """For each pattern (by its ``id``: hashing a compiled pattern hashes its whole code, a
    microsecond or two a time), the offsets of ``starts`` (ascending) where it may match: a
    superset of the places it matches, so trying it only there finds what a scan of ``text`` finds.

    Example:
        >>> at = _starts_by_pattern("增强“四个意识”", [2, 3])
        >>> at[id(QUOTED_RE)], at[id(_GE_RE)], id(CHAINED_RE) in at
        ([2], [3], False)
    """
    at: dict[int, list[int]] = {}
    for p in starts:
        c = text[p]
        if c not in _CHAIN_CHARS:
            if c in _OPEN_Q and text[p + 1:p + 2] in _CHAIN_CHARS:
                at.setdefault(id(QUOTED_RE), []).append(p)
            continue
        rxs = [_BY_CLASSIFIER[ch] for ch in _CLASSIFIERS.intersection(text[p + 1:p + 4])]
        if _CHAIN_CHAR_RE.search(text, p + 2, p + 8):  # a second segment's numeral (两不愁、三保障)
            rxs += (CHAINED_RE, SPLIT_CHAINED_RE)
        if c == "十" and text[p + 2:p + 3] == "五":
            rxs.append(FIVE_YEAR_RE)
        if text[p + 2:p + 4] in _VERB_SET:
            rxs.append(_NX_VERB_RE)
        for rx in rxs:
            at.setdefault(id(rx), []).append(p)
    return at


def _matches(rx: re.Pattern, text: str, at: dict[int, list[int]]) -> list[re.Match]:
    """What ``rx.finditer(text)`` finds, trying ``rx`` only at the offsets ``at[id(rx)]``."""
    out: list[re.Match] = []
    end = 0
    for p in at.get(id(rx)) or ():
        if p >= end and (m := rx.match(text, p)) is not None:
            end = m.end()
            out.append(m)
    return out


@lru_cache(maxsize=8)
def _lexicon_regex(phrases: tuple[str, ...]) -> re.Pattern | None:
    lex = sorted({p for p in phrases if p and re.match(CHAIN_NUMERAL, p) and not MEETING_RE.search(p)
                  and not CONGRESS_RE.match(p) and not p.startswith(LEXICON_NOT_NUMBER)}, key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, lex))) if lex else None


def number_slogan_spans(
    text: str,
    *,
    idioms: Container[str] = (),
    lexicon: Iterable[str] = (),
    use_builtin_idioms: bool = True,
) -> list[tuple[int, int, str, str]]:
    """``(start, end, slogan, rule)`` for every number slogan in ``text``.

    Leftmost-longest, no overlaps; on equal spans a lexicon phrase wins. ``rule`` is one of
    ``lexicon, chained, five_year, numbered_set, quoted`` (see the module docstring).

    Args:
        text: any text (a body, a paragraph).
        idioms: more words never to call slogans.
        lexicon: phrases that are always number slogans when they start with a numeral
            (others are ignored here); they win over idioms.
        use_builtin_idioms: leave out the bundled numeral idioms (:func:`builtin_idioms`).

    Example:
        >>> [(w, r) for _, _, w, r in number_slogan_spans("践行“四个意识”，推广一征三议两公开工作法")]
        [('四个意识', 'quoted'), ('一征三议两公开', 'chained')]
    """
    lex_re = _lexicon_regex(tuple(lexicon))
    out: list[tuple[int, int, str, str]] = []
    for a, b, starts in _windows(text):
        out += [(s + a, e + a, w, r) for s, e, w, r in _spans_in(text[a:b], starts, idioms, lex_re, use_builtin_idioms)]
    return out


def _spans_in(text: str, starts: list[int], idioms: Container[str], lex_re: re.Pattern | None,
              use_builtin_idioms: bool) -> list[tuple[int, int, str, str]]:
    """The number slogans of one window: lexicon phrases, then the pattern hits that are
    not idioms, quantities, congresses or lexicalised words, resolved leftmost-longest."""
    spans = [(m.start(), m.end(), m.group(), "lexicon") for m in lex_re.finditer(text)] if lex_re is not None else []
    cands = _pattern_candidates(text, starts)
    if not cands and not spans:
        return []
    idiom_spans = _idiom_spans(text) if use_builtin_idioms and cands else []
    spans += [(s, e, text[s:e], rule) for s, e, rule in cands if not _rejected(text[s:e], s, e, idioms, idiom_spans)]
    # on equal spans a lexicon phrase wins
    return leftmost_longest(_lexicon_wins(spans), tiebreak=lambda t: t[3] != "lexicon")


def _pattern_candidates(text: str, starts: list[int]) -> list[tuple[int, int, str]]:
    """``(start, end, rule)`` of every pattern hit, before any filtering; ``starts`` are the
    offsets of the numerals and opening quotes in ``text``."""
    at = _starts_by_pattern(text, starts)
    if not at:
        return []
    cands = [(m.start(1), m.end(1), "quoted") for m in _matches(QUOTED_RE, text, at) if _good_quoted(m.group(1))]
    cands += [(m.start(), m.end(), "chained") for m in _matches(CHAINED_RE, text, at) if _good_chain(m.group())]
    cands += [(m.start(), m.end(), "chained") for m in _matches(SPLIT_CHAINED_RE, text, at)
              if _good_split_chain(m.group())]
    cands += [(m.start(), m.end(), "five_year") for m in _matches(FIVE_YEAR_RE, text, at)]
    cands.extend(_numbered_sets(text, at))
    return cands


def _rejected(word: str, start: int, end: int, idioms: Container[str], idiom_spans: list[tuple[int, int]]) -> bool:
    """Is the pattern hit ``word`` (at ``start:end``) never a slogan, or part of an idiom?"""
    if word in idioms or is_quantity_or_structure(word) or MEETING_RE.search(word) or _lexicalised(word):
        return True
    return any(a < end and start < b for a, b in idiom_spans)


def _lexicon_wins(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Drop the pattern hits that overlap a lexicon phrase (四梁八柱 in 四梁八柱性质), except a chain
    that holds the phrase whole as some of its segments (三保障 in 两不愁三保障: the longer one wins);
    a chain made of lexicon phrases only is those phrases (“六稳”“六保”: two slogans)."""
    lex_spans = [(s, e) for s, e, _, r in spans if r == "lexicon"]
    if not lex_spans:
        return spans
    return [t for t in spans if t[3] == "lexicon" or not any(
        a < t[1] and t[0] < b and not _chain_holds(t, a, b, lex_spans) for a, b in lex_spans)]


def _chain_holds(hit: tuple[int, int, str, str], a: int, b: int, lex_spans: list[tuple[int, int]]) -> bool:
    """Does the chained ``hit`` hold the lexicon phrase at ``a:b`` whole, the rest numeral-led
    segments of which at least one is not a lexicon phrase?"""
    s, e, word, rule = hit
    if rule != "chained" or not (s <= a and b <= e) or (s, e) == (a, b):
        return False
    before, after = word[:a - s], word[b - s:].lstrip("、，”’」』“‘「『")
    if not all(not part or part[0] in _NUM_CHARS for part in (before, after)):
        return False
    covered = {i for x, y in lex_spans if s <= x and y <= e for i in range(x, y)}
    return any(i not in covered and word[i - s] not in "、，”’」』“‘「『" for i in range(s, e))


def find_number_slogans(text: str, *, idioms: Container[str] = (), lexicon: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """``(start, end, slogan)`` for every number slogan in ``text``, leftmost-longest, no overlaps.

    Args:
        text: any text (a body, a paragraph).
        idioms: words never to call slogans (e.g. jieba's idioms such as 一心一意, 三心二意);
            idioms from jieba's dictionary are left out in any case.
        lexicon: phrases that are always number slogans when they start with a numeral.

    A chain written with its segments apart (两不愁、三保障) is one hit in :func:`number_slogans`
    and here one span per segment, so that the tokeniser keeps each item a token of its own.

    Example:
        >>> [s for _, _, s in find_number_slogans("推广“一征三议两公开”工作法，落实“双推双评三全程”制度")]
        ['一征三议两公开', '双推双评三全程']
        >>> [s for _, _, s in find_number_slogans("推行“双随机、一公开”监管")]
        ['双随机', '一公开']
    """
    out = []
    for s, e, w, _ in number_slogan_spans(text, idioms=idioms, lexicon=lexicon):
        if _CHAIN_SEP_RE.search(w):  # a chain written apart: each segment a token of its own
            out += [(s + m.start(), s + m.end(), m.group()) for m in _SEGMENT_RE.finditer(w)]
        else:
            out.append((s, e, w))
    return out


#: A set slogan referred back to by its number alone: 这“四个”, 这两个， (the referent is the
#: nearest number slogan before it that starts with the same numeral and classifier).
_DEMONSTRATIVE_RE = re.compile(
    rf"这(?:些)?(?:[“‘「『]({NUMERAL_NOT_ONE}[个大项条种件])[”’」』]|({NUMERAL_NOT_ONE}[个大项条种件])(?=[{_PUNCT}]|$))"
)


def _back_references(body: str, rows: list[tuple[str, str, int, int, str]]) -> list[tuple[str, str, int, int, str]]:
    """Hits of 这“四个”, 这两个， counted under the slogan they refer back to (detail ``demonstrative``).

    Example:
        >>> _back_references("坚持四个全面。这“四个”相辅相成", [("四个全面", "number", 2, 6, "lexicon")])
        [('四个全面', 'number', 9, 11, 'demonstrative')]
    """
    out = []
    for m in _DEMONSTRATIVE_RE.finditer(body):
        n = 1 if m.group(1) else 2
        prefix = m.group(n)
        before = [r for r in rows if r[2] < m.start() and r[0].startswith(prefix) and r[0] != prefix]
        if before:
            out.append((max(before, key=lambda r: r[2])[0], "number", m.start(n), m.end(n), "demonstrative"))
    return out


def number_slogans(speech: Speech, *, lexicon: LexiconSource = None, sections: Sections | None = None) -> pd.DataFrame:
    """Every number slogan (数字化提法) in the speech, whole.

    Args:
        speech: the speech.
        lexicon: as in :func:`~analysis_utils.slogans.lexicon_hits`; its phrases that start
            with a numeral are always number slogans.
        sections: the speech's sections (:func:`~analysis_utils.sections`); computed when ``None``.

    Returns:
        A hit table (:data:`~analysis_utils.slogans.HIT_COLUMNS`); ``detail`` is the rule
        that found the slogan (``lexicon, chained, five_year, numbered_set, quoted``), with
        ``, in quotes`` when the text quotes it, or ``demonstrative`` for a set slogan referred
        back to by its number alone (这“四个”), counted under the slogan it refers to.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> number_slogans(load_speech(SEED_SPEECH)).slogan.tolist()[:3]
        ['两委', '三新', '四个意识']
    """
    lex = resolve_lexicon(lexicon)
    body = speech.body
    rows = []
    for s, e, w, rule in number_slogan_spans(body, lexicon=lex["phrase"]):
        quoted = s > 0 and body[s - 1] in _OPEN_Q and e < len(body) and body[e] in _CLOSE_Q
        rows.append((w, "number", s, e, rule + (", in quotes" if quoted and rule != "quoted" else "")))
    rows += _back_references(body, rows)
    return hit_table(speech, rows, sections=sections_of(speech, sections))

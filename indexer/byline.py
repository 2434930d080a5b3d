"""Bylines and photo credits of Chinese newspaper articles (stdlib, and jieba's dictionary
to tell a word from a name).

Why a hand-written parser: reporter names are indexed for the ``--reporter`` filter, so a
false name ("新华社", "完", a date) is worse than a missed one.  Every rule here therefore
accepts a name only in a byline *position* (dateline parenthesis, ``本报记者 …`` line,
``文/…``, a trailing parenthesis, the line under a headline) and only if every token is a
plausible personal name: 2–4 Han characters, or a minority/foreign name with a middle dot.
Names printed without a separator are split on common surnames only where the split is
unique (``邹德浩陈大鹏``); anything ambiguous (``（刘明英保平）``) is rejected rather than
guessed.  A unit or place printed with the name (``江苏洪泽县石守权``) gives the name only
when what precedes it ends the way units, places and posts end (:func:`unit_name`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon

__all__ = [
    "Byline",
    "credit_roles",
    "parse_byline",
    "photo_credit",
    "dateline_end",
    "bare_names",
    "pen_name_line",
    "is_name",
    "unit_name",
    "author_line",
]

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_DOT = "·・•‧"
_SPACE = " \t\u3000\u00a0"
_SEP_RE = re.compile(r"[、,，;；/／\s\u3000]+")

# Common single-character surnames (covers the vast majority of Han names) and compound ones.
# Only used where no role word (记者/通讯员…) vouches for the name: a trailing "（张三）" or a
# bare author line, to keep "（新华社）", "（完）", "（图表）" and the like out.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭"
    "由占宇乜达郦诺保允洪阎傅肖蔺翦谯蓟仰岩钮果赖"
    # surnames of the 百家姓 rarely opening an ordinary word (not 水 山 家 红 通 …)
    "萧贝荀邴郗郄鄂逄濮蒯竺桓訾庾宓隗糜酆贲殳夔厍莘郏暨"
)
# The most common surnames: a bare author line (no role word) must start with one of these.
_TOP_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "洪阎傅赖"
)
# The rest of the 百家姓 and rare surnames seen in credits (刑金亮): each also opens ordinary
# words (经济, 山东, 红旗), so they open a name only as three characters that are no word.
_RARE_SURNAMES = set(
    "东习从充养凤别双后咸堵宦宰家寿山巢广弓弘怀慎扶昌暴松步毋水汲沃滑牧璩益禄秋空籍红终经"
    "羿能苍蓬蔚融贡越通郤钭韶须鱼刑"
)
_COMPOUND_SURNAMES = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "呼延", "百里", "万俟",
}
# Han strings that fit the name shape but are not people (org/agency/role words).
_FIXED_NOT_NAMES = {
    "本报", "记者", "通讯员", "实习生", "新华社", "中新社", "本报记者", "新华社记者", "综合",
    "报道", "摄影", "图片", "图表", "供图", "专稿", "特稿", "评论员", "本报评论员", "编者",
    "编辑", "责编", "通讯", "消息", "据悉", "完", "未完", "待续", "摘编", "整理", "讯",
    "全文完", "新华网", "人民网", "央视", "中国", "北京", "上海",
}


class _NotNames:
    """The fixed non-names and the learned ones in force (``indexer/lexicon.py``)."""

    def __contains__(self, token: object) -> bool:
        return token in _FIXED_NOT_NAMES or token in lexicon.words("not_names")


_NOT_NAMES = _NotNames()

_NOT_NAME_START = set(
    "今昨近日在从对向据了获说表称也还又将已都就是的和与及等这那该其此本各每们所到"
)
_NAME_RE = re.compile(rf"[{HAN}]{{2,4}}|[{HAN}]{{1,8}}(?:[{_DOT}][{HAN}]{{1,10}}){{1,3}}")

# Role words that introduce names.  Order matters: longest first.
_ROLE = (
    r"(?:(?:本报|新华社|中新社|人民日报|工人日报|本刊|本台|中央电视台|中央人民广播电台"
    r"|[" + HAN + r"]{2,6}?(?:日报|晚报|早报|时报|报|通讯社|电视台|电台|杂志))?"
    r"(?:驻[" + HAN + r"]{1,8})?"
    r"(?:特约|特派|见习|实习|首席|摄影|文字|全媒体|融媒体)?(?:记者|通讯员))"
    r"|实习生|特约撰稿人|撰稿人|撰稿|执笔|摄影|整理|编译|口述|撰文"
    r"|文\s*[/／·]\s*图(?=[\s\u3000])"  # 文/图　本报记者 张三: the writer took the pictures
    r"|(?:文图|文·图|文/图|图文|文|图|摄)\s*[/／:：]"
)
_ROLE_RE = re.compile(_ROLE)

_OPEN = "（("
_CLOSE = "）)"

_DIGITS = "0-9０-９零〇○一二三四五六七八九十"
# Dateline: 本报讯 / 本报北京１月１日讯 / 新华社北京9月30日电 / 据新华社汉城１月３日电 / 本报福州电.
_DATELINE_RE = re.compile(
    r"(?:据)?(?:本报|新华社|中新社|中国新闻社|人民日报|工人日报|劳动午报|新华网|人民网|央视网)"
    rf"(?:[{HAN}]{{0,10}}?)?(?:[（(][{HAN}]{{1,10}}[）)])?"
    rf"(?:[{_DIGITS}]{{1,3}}月[{_DIGITS}]{{1,3}}日)?(?:讯|电)"
)
_PHOTO_SUFFIX_RE = re.compile(r"(?:/|／)?\s*(?:摄影|摄)$")


@dataclass
class Byline:
    """Reporter names and where the byline sits in the text that was parsed."""

    reporters: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0


def is_name(token: str, need_surname: bool = False) -> bool:
    """True if ``token`` is shaped like a personal name (2–4 Han, or dotted minority name).

    ``need_surname`` additionally requires a common surname: used where no role word vouches
    for the name, since e.g. 新华社 is name-shaped.
    """
    if not token or token in _NOT_NAMES or not _NAME_RE.fullmatch(token):
        return False
    if any(d in token for d in _DOT):
        return True
    if any(w in token for w in ("记者", "通讯", "本报", "新华社", "报道", "编辑", "摄")):
        return False
    if need_surname:
        if len(token) == 4:  # 农村新事, 来信摘登: four characters are a name only as 欧阳晓光
            return token[:2] in _COMPOUND_SURNAMES
        return has_surname(token)
    return True


def has_surname(token: str) -> bool:
    """Whether a 2–3 character token opens with a surname: a common one, a compound one, or
    a rarer one of the 百家姓 when the token is three characters and no word (刑金亮, not
    经济学, 山东省)."""
    if token[0] in _SURNAMES or token[:2] in _COMPOUND_SURNAMES:
        return True
    return (len(token) == 3 and token[0] in _RARE_SURNAMES and not _word(token)
            and not _word(token[:2]))


def split_glued(token: str, surnames: set[str] = _SURNAMES) -> list[str] | None:
    """``王德颖戴鹏`` → [王德颖, 戴鹏]: names printed with no separator, split on surnames.

    Only used where a role word (记者…) or an article-end position vouches that the token is
    names.  Every piece must be 2–3 Han characters (4 with a compound surname) opening with a
    surname in ``surnames``; of the splits that fit, the one with the fewest 2-character names
    wins (3-character names are the commoner), and a tie between different splits is
    rejected rather than guessed.
    """
    if not re.fullmatch(rf"[{HAN}]{{4,16}}", token):
        return None
    best: list[tuple[int, list[str]]] = []

    def walk(rest: str, acc: list[str]) -> None:
        if not rest:
            best.append((sum(len(n) == 2 for n in acc), list(acc)))
            return
        for size in (2, 3, 4):
            piece = rest[:size]
            if len(piece) < size or len(rest) - size == 1:
                continue
            compound = piece[:2] in _COMPOUND_SURNAMES
            if size == 4 and not compound or size == 2 and compound:
                continue
            rare = size == 3 and piece[0] in _RARE_SURNAMES and has_surname(piece)  # 刑金亮
            if not (compound or piece[0] in surnames or rare) or piece in _NOT_NAMES:
                continue
            walk(rest[size:], acc + [piece])

    walk(token, [])
    best = [b for b in best if len(b[1]) >= 2]
    if not best:
        return None
    best.sort(key=lambda b: b[0])
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None
    return best[0][1]


def _names(chunk: str, need_surname: bool, glued: bool = False) -> list[str] | None:
    """Split a run of names on the usual separators; None if any token is not a name.

    ``glued``: a role word vouches for the run, so a token of two names printed without a
    separator (``王德颖戴鹏``) is split on surnames.
    """
    chunk = chunk.strip(_SPACE + "、,，;；:：")
    if not chunk:
        return []
    out = []
    for tok in _SEP_RE.split(chunk):
        if not tok:
            continue
        parts = split_glued(tok) if glued and len(tok) >= 4 else None
        if parts and (len(tok) > 4 or tok[:2] not in _COMPOUND_SURNAMES and all(
                p[0] in _TOP_SURNAMES for p in parts)):
            out.extend(parts)
            continue
        if not is_name(tok, need_surname):
            return None
        out.append(tok)
    return out


# Two-character nouns a report is titled or labelled with (记者手记, 某厂巡礼): never a pen name.
_REPORT_NOUNS = {
    "手记", "调查", "观察", "随笔", "札记", "笔记", "来信", "专访", "述评", "综述", "特写",
    "见闻", "侧记", "速写", "纪事", "巡礼", "风采", "新风", "新貌", "一角", "掠影", "剪影",
    "印象", "故事", "连线", "视点", "快讯", "感言", "追踪", "跟踪", "探访", "暗访", "采访",
}


def _enclosed_name(s: str) -> bool:
    """Whether ``s``, printed between a role word and the closing bracket or the next role
    word (``（记者向兵）``, ``（记者剑武）``), is a name: the brackets set both its ends and
    the role word vouches for it, so any 2–3 Han characters are a name unless they read as
    a word of the story (在现场, 向群众), a place, or a report's label (手记, 调查)."""
    if not re.fullmatch(rf"[{HAN}]{{2,3}}", s) or s in _NOT_NAMES or s in _NOT_PEN:
        return False
    if s in _REPORT_NOUNS or _place(s) or any(w in s for w in ("报道", "获悉", "摄")):
        return False
    if s[0] in _NOT_NAME_START and (s[0] not in _SURNAMES or _word(s)
                                    or len(s) == 3 and _word(s[1:])):
        return False  # 在现场, 从市里, 向群众; 向兵 (向 is a surname too) passes
    if _word(s):
        from search.text.wordseg import tag

        # a dictionary word is a name only where jieba reads it as a name or place (剑武)
        return all(t.startswith(("nr", "ns")) for _, t in tag(s))
    return True


def _credit(text: str, need_role: bool, enclosed: bool = False) -> list[str] | None:
    """Parse a credit like ``记者 张三 通讯员 李四`` (the whole string must be a credit).

    Reporters (记者 …) come first, then correspondents/interns, each in printed order.
    Photographers (图/, 摄影) are excluded.  Without any role word the string must be bare
    names with common surnames (and is rejected if ``need_role``).
    ``enclosed``: ``text`` is the whole of a bracket, so each name's end is printed (the
    next role word or the bracket) and a role word vouches for any 2–3 character name.
    """
    text = text.strip(_SPACE)
    text = re.sub(r"\s*报道\s*[:：]?$", "", text)
    roles = list(_ROLE_RE.finditer(text))
    if not roles:
        if need_role:
            return None
        return _names(text, need_surname=True) or None
    if text[: roles[0].start()].strip(_SPACE):
        return None
    groups: list[tuple[str, list[str]]] = []
    for i, m in enumerate(roles):
        stop = roles[i + 1].start() if i + 1 < len(roles) else len(text)
        chunk = text[m.end():stop]
        # 记者今天在… (a line cut by a column): with no space after the role word the name
        # boundary is a guess, so reject words that cannot begin a name
        glued = bool(chunk) and chunk[0] not in _SPACE and not m.group(0).endswith(("/", "／"))
        bare = chunk.strip(_SPACE)
        if enclosed and ("记者" in m.group(0) or "通讯员" in m.group(0)) and _enclosed_name(bare):
            groups.append((m.group(0), [bare]))  # （记者向兵）, （记者剑武）
            continue
        if glued and (chunk[0] in _NOT_NAME_START or chunk[:2] in _NOT_NAMES):
            return None
        if glued and len(bare) == 2 and bare[0] not in _SURNAMES and _word(bare):
            return None  # 记者调查, 记者手记: a word that opens with no surname is no name
        names = _names(chunk, need_surname=False, glued=True)
        if names is None:
            return None
        groups.append((m.group(0), names))
    first: list[str] = []
    later: list[str] = []
    for role, names in groups:
        role = role.replace(" ", "")
        if role.startswith("摄") or role == "摄影" or "摄影记者" in role:
            continue  # photographers are credited on the photo, not as reporters
        if "记者" in role or role.startswith(("文", "图")) or role in ("撰稿", "撰文", "执笔"):
            first.extend(names)
        else:
            later.extend(names)
    out: list[str] = []
    for n in first + later:
        if n not in out:
            out.append(n)
    return out or None


def _paren_at(text: str, pos: int) -> int:
    """Index just past the bracket group opening at ``pos`` (-1 if unclosed or too long)."""
    for j in range(pos + 1, min(len(text), pos + 60)):
        if text[j] in _CLOSE:
            return j + 1
        if text[j] in _OPEN or text[j] == "\n":
            return -1
    return -1


def dateline_end(text: str) -> int:
    """Length of a leading news dateline (``本报讯``, ``新华社北京9月30日电``…), 0 if none.

    The page splitter uses this as the strongest "an article body starts here" signal.
    """
    lead = len(text) - len(text.lstrip(_SPACE))
    m = _DATELINE_RE.match(text, lead)
    if not m or "记者" in m.group(0) or text.startswith("员", m.end()):
        return 0  # 本报通讯员 / 本报记者…电 are credits, not datelines
    return m.end()


def _leading(text: str) -> Byline | None:
    lead = len(text) - len(text.lstrip(_SPACE))
    pos = lead
    end_dl = dateline_end(text)
    if end_dl:
        pos = end_dl
        while pos < len(text) and text[pos] in _SPACE:
            pos += 1
    # (记者 张三 通讯员 李四)
    if pos < len(text) and text[pos] in _OPEN:
        close = _paren_at(text, pos)
        if close > 0:
            # after a dateline a bare （肖冠军） is a byline too (common-surname names only)
            names = _credit(text[pos + 1: close - 1], need_role=not end_dl, enclosed=True)
            if names:
                return Byline(names, lead, close)
        return None
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    # 本报北京１月１日讯 记者张三报道： / …记者谢湘、戴露报道：
    m = re.compile(r"[^。，；\n]{2,40}?报道\s*[:：]").match(text, pos)
    if m and _ROLE_RE.match(text, pos):
        names = _credit(m.group(0), need_role=True)
        if names:
            return Byline(names, lead, m.end())
    if end_dl:
        # 本报讯记者王政从地矿部获悉: the name runs into the sentence
        return _running_credit(text, pos, lead)
    # A line that is nothing but a credit: 本报记者 张三 李四 / 文/张三 图/李四
    line = text[pos:line_end]
    if _ROLE_RE.match(line) and not _PHOTO_SUFFIX_RE.search(line.rstrip(_SPACE)):
        names = _credit(line, need_role=True)
        if names:
            return Byline(names, lead, pos + len(line.rstrip(_SPACE)))
    return None


# What follows a reporter's name when a dateline runs straight into the sentence
# (本报讯记者王政从地矿部获悉 / 本报北京１月２１日讯记者冉永平日前…).
_AFTER_NAME = re.compile(
    r"(?:从|在|获悉|日前|近日|今天|今日|昨天|昨日|前不久|最近|近期|了解|采访|来到|走访|随|跟随|于"
    r"|对|看到|获|专访|发现|调查|报道|元旦|春节|新年|截至|据|去年|今年|上午|下午|晚上|当天|目前"
    r"|深入|赴|到|参加|一行|也|还|又|同|和|与|会同|乘|陪同|采写|撰文|发自|电|讯"
    r"|[0-9０-９（(【“：:，,。\s]|$)"
)


def _running_credit(text: str, pos: int, lead: int) -> Byline | None:
    """``记者王政从…`` right after a dateline: the longest name run the next word allows."""
    role = _ROLE_RE.match(text, pos)
    if not role or not re.search("记者|通讯员", role.group(0)):
        return None
    start = role.end()
    while start < len(text) and text[start] in _SPACE:
        start += 1
    found: list[tuple[int, int, list[str], int]] = []
    for end in range(start + 2, min(len(text), start + 16) + 1):
        if not _AFTER_NAME.match(text, end):
            continue
        chunk = text[start:end].rstrip(_SPACE)
        if not re.fullmatch(rf"[{HAN}{_DOT}、 \u3000]+", chunk or "-"):
            continue
        names = _names(chunk, need_surname=True, glued=True)
        if names and all(len(n) <= 3 or any(d in n for d in _DOT) or n[:2] in _COMPOUND_SURNAMES
                         for n in names):
            found.append((len(names), -len(chunk), names, start + len(chunk)))
    if not found:
        return None
    # 冉永平日前: one name read up to a following word beats two names glued (冉永 / 平日前)
    found.sort(key=lambda f: (f[0], f[1]))
    return Byline(found[0][2], lead, found[0][3])


# （作者为某省总工会研究室主任） （作者单位：…）: the author's post or unit, named elsewhere.
_AUTHOR_POST = re.compile(r"作者(?:为|系|是|单位|简介|工作单位)")


def _trailing(text: str) -> Byline | None:
    stripped = text.rstrip(_SPACE + "\n")
    if not stripped or stripped[-1] not in _CLOSE:
        return None
    start = max(stripped.rfind("（"), stripped.rfind("("))
    if start < 0 or len(stripped) - start > 40:
        return None
    inner = stripped[start + 1: -1]
    if _PHOTO_SUFFIX_RE.search(inner.strip(_SPACE)) or _AUTHOR_POST.match(inner.strip(_SPACE)):
        return None
    if re.match(r"作者(?:系|为|是|单位)", inner.strip(_SPACE)):
        return None  # （作者系某大学教授）: the writer's post, named above the text

    names = _credit(inner, need_role=False, enclosed=True)
    if not names and (start == 0 or stripped[start - 1] in "。！？”"):
        names = _pen_names(inner)
    if not names and (start == 0 or stripped[start - 1] in "。！？”…"):
        # （江苏洪泽县石守权）: a correspondent's unit and name
        found = unit_name(inner, vouched=True)
        names = [found[1]] if found else None
    if names:
        return Byline(names, start, len(stripped))
    return None


# Two-character words that end articles in brackets but are not pen names.
_NOT_PEN = {
    "待续", "未完", "续完", "连载", "摘编", "节选", "综合", "摘要", "全文", "试行", "草案", "简称",
    "新华", "本报", "专电", "专稿", "特稿", "来稿", "供稿", "图片", "图表", "照片", "资料", "译文",
    "注释", "编者", "读者", "作者", "记者", "通讯", "消息", "完稿", "上篇", "下篇", "中篇",
}


def _pen_names(inner: str) -> list[str] | None:
    """Trailing ``（家贵 军敏）``: given-name-only pen names, accepted only at the very end of
    an article right after its last full stop, two Han characters each, not a known word."""
    toks = [t for t in _SEP_RE.split(inner.strip(_SPACE)) if t]
    if not toks or len(toks) > 4:
        return None
    for t in toks:
        if len(t) <= 3 and is_name(t, need_surname=True):
            continue
        if not re.fullmatch(rf"[{HAN}]{{2}}", t) or t in _NOT_PEN or t in _NOT_NAMES:
            return None
        if any(c in t for c in "报社电讯稿图表完续摘编版网站台刊部局院会厂司"):
            return None
    return toks


def parse_byline(text: str) -> Byline | None:
    """Find the byline of an article body (or of one paragraph of it).

    Looks at the start first (dateline + parenthesis, ``本报记者 …`` line, ``文/…``,
    ``（记者 …）``), then at a trailing ``（张三 李四）``.  Returns None when no personal name
    is found, never a guess.
    """
    if not text or not text.strip():
        return None
    if photo_credit(text):
        return None  # （新华社记者索朗罗布摄）: a photographer's credit names no reporter
    return _leading(text) or _trailing(text)


def closing_credit(text: str) -> Byline | None:
    """The credit that closes a paragraph: a bracketed credit after its last sentence
    (``…平方米。（汪大昭）``, ``（通讯员 张三）``, ``（某县委宣传部张三）``), or a byline that runs
    to its end (``本报记者 张三`` on a line of its own).

    Read from the end: a paragraph that opens with a dateline byline
    (``本报北京１月１４日讯新华社记者…报道：``) may still close with its writer's credit, which
    :func:`parse_byline` (the opening first) does not look at.  A photographer's credit
    (``（新华社记者某某摄）``) is never a writer's."""
    stripped = text.rstrip(_SPACE + "\n") if text else ""
    if not stripped or photo_credit(stripped):
        return None
    tail = _trailing(stripped)
    if tail:
        return tail
    lead = _leading(stripped)
    return lead if lead and lead.end >= len(stripped) else None


def photo_credit(line: str) -> list[str] | None:
    """Photographer names of a credit line (``邱勇 摄``, ``（新华社记者兰红光摄）``), else None.

    Photo credits are kept in the article body but are not reporters of the article.
    """
    s = line.strip(_SPACE + "\n")
    if s and s[0] in _OPEN and s[-1] in _CLOSE:
        s = s[1:-1].strip(_SPACE)
    m = re.match(r"^(?:图\s*[/／:：]|摄影\s*[/／:：])\s*(.+)$", s)
    if m:
        body = m.group(1)
    else:
        m = _PHOTO_SUFFIX_RE.search(s)
        if not m:
            return None
        body = s[: m.start()]
    body = body.strip(_SPACE)
    roles = list(_ROLE_RE.finditer(body))
    if not roles:
        return _names(body, need_surname=True) or None
    if body[: roles[0].start()].strip(_SPACE):
        return None  # 近日，记者在现场拍摄: running text, not a credit
    out: list[str] = []
    for i, r in enumerate(roles):
        stop = roles[i + 1].start() if i + 1 < len(roles) else len(body)
        chunk = body[r.end():stop]
        if chunk[:1] and chunk[0] not in _SPACE and chunk[0] in _NOT_NAME_START:
            return None
        names = _names(chunk, need_surname=False)
        if names is None:
            return None
        out.extend(n for n in names if n not in out)
    return out or None


def bare_names(line: str) -> list[str] | None:
    """Names of a line that is only author names (``宗志强``, ``张三 李四``), else None.

    Meant for a line right next to a headline block, where People's-Daily-style pages print
    the author without a role word; requires common surnames to avoid short headlines.
    """
    s = line.strip(_SPACE)
    if not s or len(s) > 20:
        return None
    names = _names(s, need_surname=True)
    if not names:
        return None
    for n in names:
        if any(d in n for d in _DOT):
            return None  # 一线故事·匠心筑梦 is a kicker: dotted names need a role word here
        if len(n) == 4 and (n[:2] not in _COMPOUND_SURNAMES or n[:2] in ("东方", "百里", "南宫")):
            return None  # 东方情缘 is a headline
        if len(n) < 4 and not has_surname(n):
            return None
    return names


def pen_name_line(line: str) -> list[str] | None:
    """A line of 2-character pen names (``广记``, ``春明 西文``) or common names.

    Only for the last line of a multi-line headline block, where People's-Daily-style pages
    put the author; a lone 2-character line there is not a title.
    """
    s = line.strip(_SPACE)
    return bare_names(s) or (_pen_names(s) if len(s) <= 11 else None) or _spaced_names(s)


def _spaced_names(s: str) -> list[str] | None:
    """``杨宇 刘观浦 刑金亮``: two to four spaced 2–3 character names, all but one with a
    common surname (the spaced shape is itself the evidence; one rare surname is allowed)."""
    toks = s.split()
    if not 2 <= len(toks) <= 4 or not all(re.fullmatch(rf"[{HAN}]{{2,3}}", t) for t in toks):
        return None
    if any(t in _NOT_NAMES or _ROLE_RE.fullmatch(t) for t in toks):
        return None  # 南林 通讯员 李四: a role word is no name (parse_byline reads such lines)
    known = sum(has_surname(t) for t in toks)
    return toks if known >= max(2, len(toks) - 1) else None


def _role_label(role: str) -> str:
    """The role a byline gives, as a page labels it: 记者, 通讯员, 实习生, else 作者."""
    for label in ("通讯员", "实习生", "记者"):
        if label in role:
            return label
    return "作者"


def credit_roles(body: str, names: list[str]) -> list[tuple[str, list[str]]]:
    """``names`` grouped by the role the article's byline gives each, in printed order.

    ``本报讯 (记者 周美玉 通讯员 王宇)`` with names [周美玉, 王宇] gives
    [(记者, [周美玉]), (通讯员, [王宇])].  A name the byline does not place under a
    role word (a bare ``（张三）``, names from another source) is grouped under
    作者: a page never calls a correspondent a reporter.
    """
    if not names:
        return []
    paragraphs = [p for p in (body or "").split("\n") if p.strip()]
    found: Byline | None = None
    text = ""
    for para in paragraphs[:3] + paragraphs[-1:]:
        found = parse_byline(para)
        if found:
            text = para
            break
    role_of: dict[str, str] = {}
    if found:
        credit = text[found.start:found.end]
        roles = [(m.start(), _role_label(m.group(0))) for m in _ROLE_RE.finditer(credit)]
        for name in names:
            at = credit.find(name)
            before = [label for pos, label in roles if pos < at] if at >= 0 else []
            if before:
                role_of[name] = before[-1]
    groups: list[tuple[str, list[str]]] = []
    for name in names:
        label = role_of.get(name, "作者")
        if groups and groups[-1][0] == label:
            groups[-1][1].append(name)
        else:
            groups.append((label, [name]))
    return groups


# What a unit or place printed before an author's name ends with (县 厂 部 …), or a post.
_UNIT_END = set("省市县区镇乡村州盟旗委部局厅处科室所院校站厂矿场司社团队组会馆台办行连营学")


def _word(s: str) -> bool:
    """Whether jieba's dictionary reads ``s`` as an ordinary word (a name rarely is one)."""
    from search.text.wordseg import is_word

    return is_word(s)


# Unit ends that are also common word ends: only these words make them units.
# Unit ends that are also common word ends: only the learned organisation words ending so
# (``orgs``: 银行, 工会, 电视台, 报社 …) make them units.
_LOOSE_END_CHARS = "行会台社"


# Provinces and regions, printed alone over a round-up's section (江西 / 本报南昌电…).
_REGIONS = set("北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东"
               " 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏"
               " 宁夏 新疆 香港 澳门".split())


def _place(token: str) -> bool:
    """Whether a name-shaped token is a place (a province, or a country like 泰国)."""
    return token in _REGIONS or len(token) == 2 and token[-1] in "国省市县州"


# A unit or post is a noun phrase: a verb of the news (会见, 当选) says the line is a headline.
_NEWS_VERB = lexicon.LexRegex(lambda: lexicon.alternation("news_verbs"))


def _loose_end(unit: str) -> bool:
    """Whether ``unit`` ends in 行/会/台/社 without being a bank, union, station or press."""
    if unit[-1] not in _LOOSE_END_CHARS:
        return False
    return not unit.endswith(tuple(w for w in lexicon.words("orgs") if w[-1] == unit[-1]))


def unit_name(s: str, vouched: bool = False) -> tuple[str, str] | None:
    """(unit, name) of an author line or closing credit naming the writer's unit or place:
    ``江苏洪泽县石守权``, ``山东烟台市委宣传部 赵巍巍``, ``国务院政研室农村司司长李炳坤``.

    The name is the last 3 (else 2) characters and must open with a surname; what is before
    it must end the way units, places and posts end (县 部 厂 … 司长 主任), so a headline
    ending in a word (参观大连造船厂) is not read as one.  Outside a closing parenthesis
    (``vouched``: the position says it is a credit) a two-character name must not be a
    dictionary word (…指导委员会成立).
    """
    s = s.strip(_SPACE)
    if not 4 <= len(s) <= 32 or not re.fullmatch(rf"[{HAN}]+(?:[ \u3000][{HAN}]{{2,4}})?", s):
        return None
    spaced = bool(re.search(r"[ \u3000]", s))
    if spaced:
        unit, name = re.split(r"[ \u3000]", s)
        sizes = [len(name)]
        vouched = True  # the space sets the name apart
        s = unit + name
    else:
        sizes = [3, 2]
    for size in sizes:
        name, unit = s[-size:], s[:-size]
        if name[-1] in _STRONG_UNIT_END | _PLACE_END and _word(name[-2:]) and not spaced:
            continue  # …进城包医院, …走进李家村: the line ends with a unit or place, no name
        if size == 3 and (name[0] in (_SURNAMES if spaced else _TOP_SURNAMES) or (
                name[0] in _RARE_SURNAMES and has_surname(name))) and _placed_org(
                unit, name):
            return unit, name  # （河北省沧州市总工会徐宝康）: a place, what is there, a name
        if size == 2 and _placed_org(unit, name, cut_given=spaced) and name not in _NOT_NAMES and (
                spaced and (name[0] in _SURNAMES or not _word(name))
                or name[0] in _TOP_SURNAMES and not _word(name)):
            # 甘肃省文联阎涛, 辽宁省鞍山钢铁公司 傲腾: a place, what is there, a short name (a
            # pen name only where a space sets it apart)
            return unit, name
        if len(unit) < 2 or not 2 <= size <= 3 or name in _NOT_NAMES or name in _NOT_PEN:
            continue
        if name[-1] == "副":
            continue  # 中共西藏自治区党委副 / 书记…: a post cut at the column's end, no name
        if (size == 2 and vouched and not spaced and _placed_org(unit, name)
                and unit[-1] in _UNIT_END and not _NEWS_VERB.search(unit)):
            # （浙江省温州市鹿城区永晴） （吉林省延边州总工会钟行）: a closing parenthesis
            # vouches for a credit, a place opens the unit, so the last two are a pen name
            return unit, name
        # …总工会, …委员会: the unit ends unmistakably
        org = unit.endswith(tuple(w for w in lexicon.words("orgs") if w[-1] == "会"))
        placed = unit[-1] in _STRONG_UNIT_END and bool(re.search("[省市县区州]", unit[:-1]))
        pen_word = (size == 2 and unit[-1] in _STRONG_UNIT_END and len(unit) >= 6
                    and _opens_with_place(unit) and _pen_word(name))
        if name[0] not in _SURNAMES and not (
                size == 2 and org and vouched and len(unit) >= 4 and not _word(name)) and not (
                size == 2 and unit[-1] in _STRONG_UNIT_END and (
                    vouched and len(unit) >= 4 or placed and len(unit) >= 6 and not _word(name))
        ) and not pen_word:
            continue  # （北京市朝阳区人民法院永晴）: a pen name only behind an unmistakable unit
        placed = placed or pen_word  # 株洲电力机车厂士心: a city jieba knows opens the unit
        # a two-character name that is also a word (钟行) only after an unmistakable unit
        word_ok = vouched or placed  # (四川省绵阳市委钟行; not 参观首钢炼铁厂高炉)
        if size == 2 and not word_ok and _word(name) or (
                _word(unit[-1] + name[0]) and not (org and vouched) and not (placed and vouched)):
            continue  # …委员会成立: a word, or a word across the cut, is not a name
        if unit.endswith(lexicon.words("not_unit")) or _loose_end(unit) or _NEWS_VERB.search(unit):
            continue  # 纽约股市熊牛争, 举行盛大烟: 股市, 举行 end like units but are none
        if unit[-1] in _UNIT_END or unit.endswith(lexicon.words("post_end")):
            return unit, name
    return None


_STRONG_UNIT_END = set("委部局厂县办室处院所校站矿")
_PLACE_END = set("省市县区镇乡村州委部局厅厂矿司社")  # a name rarely ends so; a unit does
_MARKS = "■□●○◎◆◇▲△★☆▌▍"
# 本报评论员, 经济日报特约评论员: a paper's commentary, signed by no person
_COMMENTARY = re.compile(rf"^(?:本报|新华社|本刊|[{HAN}]{{2,6}}[报刊社])?(?:特约)?评论员$"
                         r"|^(?:本报|新华社)?(?:特约)?记者$")


_PLACE_PREFIX = re.compile(rf"[{HAN}]{{1,5}}?[省市县州]|(?:{'|'.join(sorted(_REGIONS))})")


def _opens_with_place(unit: str) -> bool:
    """Whether ``unit`` opens with a place: a province or a 省/市/县/州, or a word jieba
    knows as a place (株洲, 湖南)."""
    if _PLACE_PREFIX.match(unit):
        return True
    from search.text.wordseg import tag

    words = tag(unit)
    return bool(words) and words[0][1] == "ns" and len(words[0][0]) >= 2


def _pen_word(name: str) -> bool:
    """Whether a two-character dictionary word after a placed unit can be a pen name (士心):
    a plain noun, not a report's label (巡礼, 见闻) nor a group of people (职工, 车间)."""
    if name in _REPORT_NOUNS or name in _NOT_PEN or name in _NOT_NAMES:
        return False
    if name[-1] in "工员者人间会部队组厂班家们":
        return False
    if not _word(name):
        return True
    from search.text.wordseg import tag

    return [t for _, t in tag(name)] in (["n"], ["nr"], ["nrt"], ["ns"])


def _placed_org(unit: str, name: str, cut_given: bool = False) -> bool:
    """Whether ``unit`` reads as a place followed by what is there (河北省沧州市总工会), so the
    name after it is the writer's: the place opens the unit and something follows it, no
    verb of the news is inside, and the cut between unit and name splits no word (unless
    a space printed between them gives the cut: ``cut_given``)."""
    m = _PLACE_PREFIX.match(unit)
    return (m is not None and len(unit) - m.end() >= 2 and not _NEWS_VERB.search(unit)
            and not unit.endswith(lexicon.words("not_unit"))
            and (cut_given or not _word(unit[-1] + name[0])))


def author_line(line: str) -> tuple[list[str], str] | None:
    """(names, how it was read) of a line that only credits the author, else None.

    Meant for the line under a headline, where pages print the author with no role word: a
    name alone (李瑛), spaced names, two names run together (苗再新李翔, split on common
    surnames), a unit or place with the name (江苏洪泽县石守权), ■本报记者 张三, 本报评论员.
    """
    s = line.strip(_SPACE).lstrip(_MARKS).strip(_SPACE)
    if not s or len(s) > 34:
        return None
    if _COMMENTARY.match(s):
        return [], "a commentary credit"
    by = parse_byline(s)
    if by and by.start == 0 and by.end >= len(s) and s[0] not in _OPEN:
        return by.reporters, "a byline"
    found = pen_name_line(s)
    if found and not (len(found) == 1 and _place(found[0])):
        return found, "an author's name alone"  # (not 泰国 / 安徽: a round-up's section)
    if 4 <= len(s) <= 12 and re.fullmatch(rf"[{HAN}]+", s):
        parts = split_glued(s, _TOP_SURNAMES)
        if not parts and len(s) in (6, 9) and s[0] in _SURNAMES:
            parts = split_glued(s, _SURNAMES)  # 阎晓明归通昌: 3-character names, a rarer surname
            parts = parts if parts and all(len(p) == 3 for p in parts) else None
        if parts and all(len(p) <= 3 and p[-1] not in _PLACE_END and not (len(p) == 2 and _word(p))
                         for p in parts) and any(len(p) == 3 for p in parts):
            return parts, "names run together"
    found_unit = unit_name(s)
    if found_unit:
        return [found_unit[1]], "a unit or place with the author's name"
    if len(s) >= 8 and re.fullmatch(rf"[{HAN}]+", s):  # 华南师范大学吴颖民麦志强
        pair = split_glued(s[-6:], _SURNAMES)
        unit = s[:-6]
        if pair and len(pair) == 2 and all(len(p) == 3 for p in pair) and len(unit) >= 3 and (
                unit[-1] in _STRONG_UNIT_END or unit.endswith(("大学", "中学", "公司"))):
            return pair, "a unit with two names run together"
    m = re.fullmatch(rf"([{HAN} ]{{2,12}}?)\s*(?:摄影)?报道", s)
    if m:
        names = _names(m.group(1), need_surname=True, glued=True)
        if names:
            return [], "a photo report's credit (photographers are not reporters)"
    return None

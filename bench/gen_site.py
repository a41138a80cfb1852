#!/usr/bin/env python3
"""Generate a static district portal of N pages for the crawl benchmark.

Layout like a TRS-published gov site: a homepage with navigation, 20 columns whose list pages are
paginated (index.html, index_1.html, ...), and detail pages /<col>/YYYYMM/tYYYYMMDD_<n>.html, each
carrying the site's navigation and footer. Every link resolves, so both crawlers walk the same tree.
"""
import datetime
import os
import sys

out = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
COLUMNS = ["gzdt", "tzgg", "zcwj", "rsxx", "ghjh", "czxx", "tjxx", "xxgk", "bmdt", "jddt",
           "zwyw", "gsgg", "fgwj", "zdjc", "jyta", "zfcg", "xzxk", "xzcf", "ggfw", "hdjl"]
NAMES = ["工作动态", "通知公告", "政策文件", "人事信息", "规划计划", "财政信息", "统计信息", "信息公开",
         "部门动态", "街道动态", "政务要闻", "公示公告", "法规文件", "重点监察", "建议提案", "政府采购",
         "行政许可", "行政处罚", "公共服务", "互动交流"]
PER_PAGE = 20

nav = "".join(f'<li><a href="/{c}/index.html">{n}</a></li>' for c, n in zip(COLUMNS, NAMES))
chrome_top = f'<div class="nav"><ul><li><a href="/">首页</a></li>{nav}</ul></div>'
footer = ('<div class="footer">主办单位：基准区人民政府办公室 联系电话：0532-88888888 '
          '网站标识码：3702120001 鲁ICP备05000000号 鲁公网安备 37021202000123号</div>')


def page(title, body, extra_head=""):
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{extra_head}'
            f'<link rel="stylesheet" href="/css/style.css"></head><body>{chrome_top}{body}{footer}'
            '</body></html>')


def write(path, text):
    full = os.path.join(out, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


details_per_col = max(1, (total - 1 - len(COLUMNS)) // len(COLUMNS))
pages_per_col = (details_per_col + PER_PAGE - 1) // PER_PAGE
details_per_col -= pages_per_col - 1  # the extra list pages count too
start = datetime.date(2025, 9, 30)
count = 1
write("/css/style.css", "body{font-family:sans-serif}")
for c, name in zip(COLUMNS, NAMES):
    items = []
    for i in range(details_per_col):
        d = start - datetime.timedelta(days=i)
        url = f"/{c}/{d:%Y%m}/t{d:%Y%m%d}_{i}.html"
        title = f"{name}第{i}号信息"
        write(url, page(title, f'<div class="TRS_Editor"><p>{title}正文。</p></div>发布时间：{d}',
                        f'<meta name="PubDate" content="{d} 10:00">'))
        items.append(f'<li><a href="{url}" title="{title}">{title}</a><span class="time">{d}</span></li>')
        count += 1
    for p in range(pages_per_col):
        chunk = items[p * PER_PAGE:(p + 1) * PER_PAGE]
        name_p = "index.html" if p == 0 else f"index_{p}.html"
        pager = f'<script>createPageHTML({pages_per_col}, {p}, "index", "html");</script>'
        pager += "".join(f'<a href="/{c}/{"index" if k == 0 else f"index_{k}"}.html">{k + 1}</a>'
                         for k in range(pages_per_col))
        write(f"/{c}/{name_p}", page(name, f'<ul class="list">{"".join(chunk)}</ul>{pager}',
                                     f'<meta name="ColumnName" content="{name}">'))
        count += 1
write("/index.html", page("基准区人民政府", "<p>欢迎</p>"))
print(count)

"""The offline HTML report: one self-contained file (styles and figures inline, no request)."""

from __future__ import annotations

import html
import itertools
import pathlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import polars as pl

from folkeskolekvalitet._core.breaks import BREAKS
from folkeskolekvalitet.indicators import CATALOGUE
from folkeskolekvalitet.national_tests import SUBJECTS as NT_SUBJECTS
from folkeskolekvalitet.report._figures_of import EXCEL_ONLY, category_labels
from folkeskolekvalitet.report._labels import (
    DIRECTION_LABELS,
    FAMILY_LABELS,
    NT_GOAL_LABELS,
    STATUS_LABELS,
    STATUS_SYMBOLS,
    VERDICT_LABELS,
)

_SUBJECTS: dict[str, str] = {s.key: s.label for s in NT_SUBJECTS}

if TYPE_CHECKING:
    from folkeskolekvalitet.report.model import Report

__all__ = ["CSS", "render_html", "write_html"]

#: The report's one stylesheet (system fonts: nothing is fetched).
CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:#1b1b1b;background:#fff;line-height:1.45;font-size:15px}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.7em;margin:.4em 0}h2{font-size:1.35em;margin-top:2em;border-bottom:2px solid #1f5f8b}
h3{font-size:1.05em;margin:1.4em 0 .4em}
p,li{overflow-wrap:anywhere}
nav ul{padding-left:1.2em;columns:2 16em}
.lead{color:#444}
.tbl{overflow-x:auto;max-width:100%;margin:.4em 0 1em}
table{border-collapse:collapse;font-size:.9em;min-width:100%}
th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top;
white-space:nowrap}
th:first-child,td:first-child{text-align:left;white-space:normal;min-width:9em}
thead th{background:#f3f6f9;position:sticky;top:0}
tr.kommune td{background:#fbf4e8;font-weight:600}tr.land td{background:#f2f2f2}
.v{font-weight:600}.ci{display:block;color:#666;font-size:.82em}
.up{color:#1e7b34}.down{color:#b03a2e}.neutral{color:#555}
.mk{display:block;font-size:.78em}
table.wrap td,table.wrap th{white-space:normal;min-width:6.5em}
table.wrap td:first-child{min-width:14em}
.sym{color:#777}
.met{color:#1e7b34;font-weight:600}.not_met{color:#b03a2e;font-weight:600}.not_evaluable{color:#777}
figure{margin:1em 0;overflow-x:auto;max-width:100%}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:.9em;color:#444;margin-bottom:.3em}
.note{font-size:.88em;color:#444;background:#f7f7f7;border-left:3px solid #aaa;padding:.4em .8em}
.fn{font-size:.85em;color:#444}
footer{font-size:.85em;color:#555;margin-top:3em}
@media (max-width:600px){body{font-size:14px}h1{font-size:1.35em}nav ul{columns:1}}
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def _subject(key: object) -> str:
    return _SUBJECTS.get(str(key), str(key))


def _verdict(verdict: str, text: str) -> str:
    return f'<span class="{_e(verdict)}">{_e(text)}</span>'


def _table(head: Iterable[str], rows: Iterable[tuple[str, Iterable[str]]], cls: str = "") -> str:
    """An HTML table that scrolls inside its own container; cells are HTML already."""
    attr = f' class="{cls}"' if cls else ""
    out = [f'<div class="tbl"><table{attr}><thead><tr>']
    out += [f"<th>{h}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row_cls, cells in rows:
        row_attr = f' class="{row_cls}"' if row_cls else ""
        out.append(f"<tr{row_attr}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _arrow(sign: int | None, better: bool | None) -> str:
    if sign is None or sign == 0:
        return ""
    good = None if better is None else (sign > 0) == better
    return "neutral" if good is None else ("up" if good else "down")


def _cell(row: dict[str, Any], fn: dict[str, int], family: str) -> str:
    status = row["status"]
    if status != "ok":
        symbol = row["value_text"] or ""
        number = fn.setdefault(status, len(fn) + 1)
        anchor = f"#fn-{_e(family)}-{_e(status)}"
        return f'<span class="sym">{_e(symbol)}</span><sup><a href="{anchor}">{number}</a></sup>'
    parts = [f'<span class="v">{_e(row["value_text"])}</span>']
    if row["ci_text"]:
        parts.append(f'<span class="ci">{_e(row["ci_text"])}</span>')
    marks = []
    better = row["higher_is_better"]
    if row["change_text"]:
        cls = _arrow(row["change_sign"], better)
        arrow = "▲" if row["change_sign"] > 0 else "▼"
        marks.append(
            f'<span class="{cls}" title="Signifikant ændring fra året før">'
            f"{arrow} {_e(row['change_text'])}</span>"
        )
    for col, short, name in (("vs_municipality", "K", "kommunen"), ("vs_country", "L", "landet")):
        sign = row.get(col)
        if sign and row["unit_level"] != (
            "municipality" if col == "vs_municipality" else "country"
        ):
            cls = _arrow(sign, better)
            word = "over" if sign > 0 else "under"
            arrow = "↑" if sign > 0 else "↓"
            marks.append(
                f'<span class="{cls}" title="Signifikant {word} {name}">{short}{arrow}</span>'
            )
    if marks:
        parts.append('<span class="mk">' + " ".join(marks) + "</span>")
    return "".join(parts)


def _row_class(level: str) -> str:
    return {"municipality": "kommune", "country": "land"}.get(level, "")


def _indicator_tables(report: Report, family: str, fn: dict[str, int]) -> str:
    cells = report.cells.filter(pl.col("family") == family, ~pl.col("indicator").is_in(EXCEL_ONLY))
    if not cells.height:
        return ""
    years = list(report.years)
    labels = category_labels()
    level_order = (
        pl.col("unit_level")
        .cast(pl.String)
        .replace_strict({"school": 0, "municipality": 1, "country": 2}, return_dtype=pl.Int8)
    )
    school_order = {s: i for i, s in enumerate(report.schools)}
    cells = cells.with_columns(
        level_order.alias("_lvl"),
        pl.col("unit_id")
        .replace_strict(school_order, default=len(school_order), return_dtype=pl.Int32)
        .alias("_pos"),
    )
    out = []
    order = list(CATALOGUE)
    keys = sorted(
        cells["indicator"].unique().to_list(),
        key=lambda k: order.index(k) if k in order else len(order),
    )
    for key in keys:
        ind = cells.filter(pl.col("indicator") == key)
        first = ind.row(0, named=True)
        out.append(f'<h3 id="{_e(key)}">{_e(first["label"])}</h3>')
        groups = (
            ind.select("subject", "grade_level", "category")
            .unique(maintain_order=True)
            .sort("subject", "grade_level", "category", nulls_last=True)
        )
        for g in groups.iter_rows(named=True):
            sub = ind.filter(
                *(
                    pl.col(c).is_null() if g[c] is None else pl.col(c) == g[c]
                    for c in ("subject", "grade_level", "category")
                )
            )
            caption = ", ".join(
                str(x)
                for x in (
                    g["subject"],
                    None if g["grade_level"] is None else f"{g['grade_level']}. klasse",
                    None if g["category"] is None else labels.get(g["category"], g["category"]),
                )
                if x is not None
            )
            if caption:
                out.append(f'<p class="lead">{_e(caption)}</p>')
            units = (
                sub.select("unit_level", "unit_id", "unit_name", "_lvl", "_pos")
                .unique()
                .sort("_lvl", "_pos", "unit_name")
            )
            by_unit: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
            for r in sub.iter_rows(named=True):
                by_unit.setdefault((str(r["unit_level"]), r["unit_id"]), {})[r["school_year"]] = r
            rows = []
            for u in units.iter_rows(named=True):
                level = str(u["unit_level"])
                per_year = by_unit.get((level, u["unit_id"]), {})
                tds = [_e(u["unit_name"])]
                for y in years:
                    cell = per_year.get(y)
                    tds.append("" if cell is None else _cell(cell, fn, family))
                rows.append((_row_class(level), tds))
            out.append(_table(["Enhed", *[_e(y) for y in years]], rows))
    return "".join(out)


def _notes(report: Report, family: str) -> str:
    """Comparability notes: the breaks of this family that touch the years shown."""
    notes: list[str] = []
    years = set(report.years)
    ordered = sorted(years)
    for brk in BREAKS:
        if not brk.prefix.startswith(family):
            continue
        hit = any(brk.covers(y) for y in ordered) or any(
            brk.separates(a, b) for a, b in itertools.pairwise(ordered)
        )
        if hit:
            when = (
                brk.first_year
                if brk.last_year in (None, brk.first_year)
                else (f"{brk.first_year}–{brk.last_year}")
            )
            notes.append(f'{_e(when)}: {_e(brk.reason_da)} (<a href="{_e(brk.source)}">kilde</a>)')
    if not notes:
        return ""
    return (
        '<div class="note"><strong>Sammenlignelighed:</strong><ul>'
        + "".join(f"<li>{n}</li>" for n in notes)
        + "</ul></div>"
    )


def _footnotes(fn: dict[str, int], family: str) -> str:
    if not fn:
        return ""
    items = "".join(
        f'<li id="fn-{_e(family)}-{_e(status)}" value="{n}">'
        f'<span class="sym">{_e(STATUS_SYMBOLS.get(status, ""))}</span>'
        f" {_e(STATUS_LABELS.get(status, status))}"
        + (
            ": færre elever end mindstegrænsen (normalt 5), eller skjult, så et diskretioneret tal"
            " ikke kan regnes ud af de andre"
            if status.startswith("suppressed")
            else ""
        )
        + "</li>"
        for status, n in sorted(fn.items(), key=lambda kv: kv[1])
    )
    return f'<ol class="fn">{items}</ol>'


def _figures(report: Report, family: str) -> str:
    out = []
    for fig in report.figures:
        if fig.family != family:
            continue
        out.append(
            f'<figure id="fig-{_e(fig.key)}" data-figure="{_e(fig.key)}">'
            f"<figcaption>{_e(fig.title)}</figcaption>"
            f"{fig.to_svg()}</figure>"
        )
    return "".join(out)


def _goal_cell(row: dict[str, Any]) -> str:
    verdict = str(row.get("verdict") or "not_evaluable")
    parts = [_verdict(verdict, VERDICT_LABELS.get(verdict, verdict))]
    if row.get("value_text"):
        target = f" (mål {row['target_text']})" if row.get("target_text") else ""
        parts.append(f'<span class="ci">{_e(row["value_text"])}{_e(target)}</span>')
    if verdict == "not_evaluable" and row.get("reason_text"):
        parts.append(f'<span class="ci">{_e(row["reason_text"])}</span>')
    return "".join(parts)


def _goals(report: Report) -> str:
    """The front page: every goal's verdict for the municipality, and the schools' tally."""
    parts = ['<section id="maal"><h2>Målopfyldelse</h2>']
    goals = report.goals
    years = list(report.years)
    if goals is not None and goals.height:
        level = pl.col("unit_level").cast(pl.String)
        order = goals["goal"].unique(maintain_order=True).to_list()
        rows = []
        for key in order:
            own = goals.filter(pl.col("goal") == key)
            label = own["label"][0]
            mun = own.filter(level == "municipality")
            groups = mun.select("subject", "grade_level", "category").unique(maintain_order=True)
            if not groups.height:
                groups = pl.DataFrame(
                    {"subject": [None], "grade_level": [None], "category": [None]},
                    schema=mun.select("subject", "grade_level", "category").schema,
                )
            for g in groups.iter_rows(named=True):
                sub = mun.filter(
                    *(
                        pl.col(c).is_null() if g[c] is None else pl.col(c) == g[c]
                        for c in ("subject", "grade_level", "category")
                    )
                )
                by_year = {r["school_year"]: r for r in sub.iter_rows(named=True)}
                what = ", ".join(
                    x
                    for x in (
                        None if g["subject"] is None else _subject(g["subject"]),
                        None if g["grade_level"] is None else f"{g['grade_level']}. klasse",
                        g["category"],
                    )
                    if x
                )
                cells = [
                    _e(label) + (f'<span class="ci">{_e(what)}</span>' if what else ""),
                    *(
                        _goal_cell(by_year[y]) if y in by_year else '<span class="sym">–</span>'
                        for y in years
                    ),
                ]
                schools = own.filter(level == "school", pl.col("school_year") == years[-1])
                if g["subject"] is not None:
                    schools = schools.filter(pl.col("subject") == g["subject"])
                if g["grade_level"] is not None:
                    schools = schools.filter(pl.col("grade_level") == g["grade_level"])
                tally = dict(schools.group_by(pl.col("verdict").cast(pl.String)).len().iter_rows())
                cells.append(
                    _e(
                        f"{tally.get('met', 0)} opfyldt, {tally.get('not_met', 0)} ikke,"
                        f" {tally.get('not_evaluable', 0)} kan ikke vurderes"
                    )
                    if schools.height
                    else ""
                )
                rows.append(("", cells))
        parts.append(
            f"<p>Kommunens mål og de nationale mål, vurderet for {_e(report.municipality_name)}"
            " Kommune år for år; skolernes vurderinger står i datapakken (arket Mål).</p>"
        )
        parts.append(
            _table(["Mål", *[_e(y) for y in years], f"Skolerne {_e(years[-1])}"], rows, "wrap")
        )
    else:
        parts.append("<p>Ingen mål er angivet for rapporten.</p>")
    view = report.publication
    if view is not None and view.height:
        mun = (
            view.filter(pl.col("institution_id").is_null())
            if "institution_id" in view.columns
            else view
        )
        if mun.height:
            parts.append("<h3>Nationale test: de nationale mål for kommunen</h3>")
            rows = []
            for r in mun.sort("school_year", "subject", "grade_level", "goal").iter_rows(
                named=True
            ):
                met = r["goal_met"]
                verdict = "not_evaluable" if met is None else ("met" if met else "not_met")
                rows.append(
                    (
                        "",
                        [
                            _e(NT_GOAL_LABELS.get(str(r["goal"]), r["goal"])),
                            _e(f"{_subject(r['subject'])} {r['grade_level']}. klasse"),
                            _e(r["school_year"]),
                            _verdict(
                                verdict,
                                VERDICT_LABELS[verdict] if met is not None else "Oplyses ikke",
                            ),
                            _e(DIRECTION_LABELS.get(str(r["direction"]), r["direction"])),
                        ],
                    )
                )
            parts.append(_table(["Mål", "Test", "Skoleår", "Vurdering", "Udvikling"], rows))
    parts.append("</section>")
    return "".join(parts)


def _national_tests(report: Report) -> str:
    view = report.publication
    if view is None or not view.height:
        return "<p>Ingen resultater af de nationale test i data.</p>"
    schools = (
        view.filter(pl.col("institution_id").is_not_null())
        if "institution_id" in view.columns
        else view
    )
    names = dict(report.names)
    rows = []
    for r in schools.sort(
        "institution_id", "subject", "grade_level", "school_year", "goal"
    ).iter_rows(named=True):
        met = r["goal_met"]
        verdict = "not_evaluable" if met is None else ("met" if met else "not_met")
        text = VERDICT_LABELS[verdict] if met is not None else "Oplyses ikke"
        rows.append(
            (
                "",
                [
                    _e(names.get(r["institution_id"], r["institution_id"])),
                    _e(f"{_subject(r['subject'])} {r['grade_level']}. kl."),
                    _e(r["school_year"]),
                    _e(NT_GOAL_LABELS.get(str(r["goal"]), r["goal"])),
                    _verdict(verdict, text),
                    _e(DIRECTION_LABELS.get(str(r["direction"]), r["direction"])),
                ],
            )
        )
    intro = (
        "<p>Resultaterne af de nationale test er fortrolige (folkeskoleloven § 55 b). Rapporten"
        " viser derfor kun, om de nationale mål er nået, og hvilken vej udviklingen går —"
        " aldrig andele eller antal for en skole eller kommunen. Små grupper oplyses ikke.</p>"
    )
    return intro + _table(["Skole", "Test", "Skoleår", "Mål", "Vurdering", "Udvikling"], rows)


def _sources(report: Report) -> str:
    prov = report.provenance
    used = sorted(set(report.table["indicator"].unique().to_list()) & set(CATALOGUE))
    srcs = sorted({CATALOGUE[k].source for k in used if CATALOGUE[k].source})
    items = "".join(f'<li><a href="{_e(s)}">{_e(s)}</a></li>' for s in srcs)
    cats = "".join(f"<li>{_e(k)}: {_e(v)}</li>" for k, v in prov.catalogues.items())
    files = "".join(f"<li>{_e(f)}</li>" for f in prov.data_files) or "<li>ingen</li>"
    suppression = (
        "Diskretionering: værdier for grupper med færre elever end indikatorens mindstegrænse"
        " er skjult, og andre er skjult, så de ikke kan regnes ud (sekundær diskretionering)."
        if report.suppressed
        else "<strong>Uden diskretionering: denne rapport må ikke offentliggøres.</strong>"
    )
    return (
        '<section id="kilder"><h2>Kilder og metode</h2>'
        "<p>Intervaller er 95 %-konfidensintervaller: hvor meget tallet kunne variere for en"
        " anden årgang af tilsvarende elever. En ændring eller forskel markeres kun, når den er"
        " statistisk signifikant: ▲/▼ ændring fra året før, K↑/K↓ over/under kommunen, L↑/L↓"
        " over/under landet. Grøn er bedre, rød er dårligere.</p>"
        f"<p>{suppression}</p>"
        f"<h3>Officielle kilder</h3><ul>{items}</ul>"
        f"<h3>Datagrundlag</h3><ul>{files}</ul>"
        f"<h3>Kataloger</h3><ul>{cats}</ul>"
        f"<p>Lavet med folkeskolekvalitet {_e(prov.version)} den {_e(prov.created)}.</p>"
        "</section>"
    )


def render_html(report: Report) -> str:
    """The report as HTML text."""
    years = report.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (years[0] if years else "")
    title = f"Kvalitetsrapport {report.municipality_name} {span}"
    toc = ['<li><a href="#maal">Målopfyldelse</a></li>']
    body = [_goals(report)]
    for family in report.families:
        fn: dict[str, int] = {}
        toc.append(f'<li><a href="#{family}">{_e(FAMILY_LABELS[family])}</a></li>')
        section = [f'<section id="{family}"><h2>{_e(FAMILY_LABELS[family])}</h2>']
        if family == "national_tests":
            section.append(_national_tests(report))
        section.append(_notes(report, family))
        section.append(_figures(report, family))
        if family != "national_tests":
            section.append(_indicator_tables(report, family, fn))
            if (
                family == "wellbeing"
                and report.table.filter(pl.col("indicator").is_in(EXCEL_ONLY)).height
            ):
                section.append(
                    "<p>Andelene for de enkelte spørgsmål findes i datapakken (Excel).</p>"
                )
        section.append(_footnotes(fn, family))
        section.append("</section>")
        body.append("".join(section))
    toc.append('<li><a href="#kilder">Kilder og metode</a></li>')
    body.append(_sources(report))
    n_schools = len(report.schools)
    return (
        '<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{_e(title)}</h1>"
        f'<p class="lead">{_e(report.municipality_name)} kommune ({_e(report.municipality)}),'
        f" {n_schools} skole{'r' if n_schools != 1 else ''}, skoleårene {_e(', '.join(years))}."
        " Hver skole og kommunen over årene, sammenholdt med kommunen og landet.</p>"
        f"<nav><ul>{''.join(toc)}</ul></nav>"
        + "".join(body)
        + f"<footer>folkeskolekvalitet {_e(report.provenance.version)}</footer>"
        + "</main></body></html>\n"
    )


def write_html(report: Report, path: str | pathlib.Path) -> pathlib.Path:
    """Write the report to ``path`` (UTF-8) and return the path."""
    out = pathlib.Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(report), encoding="utf-8")
    return out

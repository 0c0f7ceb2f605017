"""`dashboard.html`: one self-contained page (inline CSS, JS and data; no server, no network).

It shows the region's headline figures, a grid of its cities (or counties) coloured by
completeness and by quality (pass rate), a sortable table of agencies with their state and
findings, the trends over the aggregated years as an inline SVG, the consolidated reports that
differ from their members, and a metric dictionary defining every figure and the cells it sums.
All words come from `form.output_words` inside the embedded data; the page holds none of its own.
`dashboard_data` is that data, so tests check the figures without a browser.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from form import catalogue as cat
from form import output_words as words
from form.registry_format import LEVEL_NAMES
from outputs.data import OfficeData
from outputs.quality import region_quality
from warehouse.aggregation import ScopeStatus


def _status(s: ScopeStatus) -> dict[str, Any]:
    return {
        "code": s.scope_code,
        "name": s.scope_name or s.scope_code,
        "expected": s.expected,
        "submitted": s.expected_submitted,
        "loaded": s.loaded,
        "rejected": s.rejected,
        "missing": s.missing,
        "late": s.late,
        "quarantined": s.quarantined,
        "completeness": s.completeness,
        "pass_rate": s.pass_rate,
    }


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


def dashboard_data(data: OfficeData) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data."""
    places = data.subscopes("city") if data.scope[0] == "province" else data.subscopes("county")
    quality = {q.status.scope_code: q for q in region_quality(data)}
    regions = []
    for s in places:
        q = quality.get(s.scope_code)
        regions.append(
            {
                **_status(s),
                "hard": q.hard if q else 0,
                "not_checkable": q.not_checkable if q else 0,
                "blank_totals": q.blank_totals if q else 0,
                "cells": data.agg.totals(s.scope_type, s.scope_code),
            }
        )
    own = quality[data.scope[1]]
    agencies = []
    for a in data.agencies:
        q = data.quality.get(a.agency_id)
        agencies.append(
            {
                "id": a.agency_id,
                "name": a.agency_name,
                "level": LEVEL_NAMES.get(a.level, a.level) if a.level else None,  # type: ignore[call-overload]
                "region": a.region_code,
                "status": words.STATUS_WORDS.get(a.status, a.status),
                "published": _day(a.published),
                "deadline": _day(a.deadline),
                "late": a.late,
                "hard": q.hard if q else 0,
                "soft": q.soft if q else 0,
                "not_checkable": q.not_checkable if q else 0,
                "blank_totals": q.blank_totals if q else 0,
            }
        )
    names = {a.agency_id: a.agency_name for a in data.agencies}
    trend_cells = list(words.TREND_SERIES)
    metrics = [
        {"key": key, "name": name, "definition": definition, "cells": cells}
        for key, name, definition, cells in words.METRICS
    ] + [
        {
            "key": cid,
            "name": label,
            "definition": f"{cat.cell_spec(cid).row_label} · {cat.cell_spec(cid).column_label}",
            "cells": cid,
        }
        for cid, label in words.TREND_SERIES.items()
    ]
    return {
        "words": {**words.DASHBOARD, "title": words.DASHBOARD["title"].format(name=data.name, year=data.year)},
        "year": data.year,
        "computed": data.agg.computed_at.isoformat(timespec="minutes"),
        "region": {
            **_status(data.status),
            "reports": data.agg.reports_in(data.scope),
            "hard": own.hard,
            "not_checkable": own.not_checkable,
            "blank_totals": own.blank_totals,
            "cells": data.cells(),
        },
        "regions": regions,
        "agencies": agencies,
        "trends": {
            "series": [{"cell": c, "name": words.TREND_SERIES[c]} for c in trend_cells],
            "years": sorted(data.history),
            "values": {
                str(y): {c: data.history[y].totals(*data.scope).get(c, 0) for c in trend_cells}
                for y in sorted(data.history)
            },
        },
        "consolidated": [
            {
                "id": f.agency_id,
                "name": names.get(f.agency_id),
                "cell": f.cell_id,
                "label": f"{cat.cell_spec(f.cell_id).row_label} · {cat.cell_spec(f.cell_id).column_label}",
                "printed": f.printed,
                "members_sum": f.expected,
                "members": f.members,
            }
            for f in data.agg.consolidation
            if f.agency_id in names
        ],
        "metrics": metrics,
    }


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;background:#f5f6f8;color:#1d2433}
header{background:#1f3b73;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.8}
main{padding:18px 28px;max-width:1400px}section{background:#fff;border-radius:6px;padding:14px 18px;margin:0 0 16px;box-shadow:0 1px 2px #0001}
h2{font-size:17px;margin:0 0 10px}.note{color:#667;font-size:12px;margin:0 0 8px}
.kpis{display:flex;flex-wrap:wrap;gap:10px}.kpi{border:1px solid #dde;border-radius:6px;padding:8px 12px;min-width:110px}
.kpi b{display:block;font-size:20px}.kpi span{font-size:12px;color:#556}
.grids{display:grid;grid-template-columns:1fr 1fr;gap:16px}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(120px,1fr));gap:6px}
.tile{border-radius:4px;padding:8px;color:#fff;font-size:13px;min-height:48px}.tile b{display:block;font-size:16px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e4e6ea;padding:4px 6px;text-align:left}
th{background:#eef1f6;cursor:pointer;position:sticky;top:0;user-select:none}th.sorted-asc:after{content:" \\25B2"}th.sorted-desc:after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}.scroll{max-height:480px;overflow:auto}
.bad{color:#b5523b;font-weight:bold}svg text{font-size:12px;fill:#334}
"""

_JS = """
(function(){
var D=JSON.parse(document.getElementById('data').textContent),W=D.words;
function el(t,a,c){var e=document.createElement(t);if(a)for(var k in a)e.setAttribute(k,a[k]);
 (c||[]).forEach(function(x){e.appendChild(typeof x==='string'?document.createTextNode(x):x)});return e}
function pct(v){return v===null||v===undefined?'-':(v*100).toFixed(1)+'%'}
function colour(v){if(v===null||v===undefined)return '#9aa3b2';var h=Math.round(120*Math.max(0,Math.min(1,(v-0.5)/0.5)));
 return 'hsl('+h+',55%,'+(38+8*(1-v))+'%)'}
document.title=W.title;document.getElementById('title').textContent=W.title;
document.getElementById('computed').textContent=W.computed+' '+D.computed;
var R=D.region,k=document.getElementById('kpis');
[['reports',R.reports],['expected',R.expected],['submitted',R.submitted],['completeness',pct(R.completeness)],
 ['pass_rate',pct(R.pass_rate)],['missing',R.missing],['late',R.late],['rejected',R.rejected],['hard',R.hard],
 ['not_checkable',R.not_checkable],['blank_totals',R.blank_totals],['quarantined',R.quarantined]].forEach(function(p){
 k.appendChild(el('div',{'class':'kpi'},[el('b',null,[String(p[1])]),el('span',null,[W[p[0]]])]))});
function grid(id,key,head){var g=document.getElementById(id);document.getElementById(id+'-h').textContent=W[head];
 D.regions.forEach(function(r){var t=el('div',{'class':'tile',title:r.name+' '+W.expected+' '+r.expected+' / '+W.submitted+' '+r.submitted+
  ' / '+W.rejected+' '+r.rejected+' / '+W.hard+' '+r.hard+' / '+W.not_checkable+' '+r.not_checkable+' / '+W.blank_totals+' '+r.blank_totals},
  [el('b',null,[pct(r[key])]),r.name]);t.style.background=colour(r[key]);g.appendChild(t)})}
grid('grid-c','completeness','grid_completeness');grid('grid-q','pass_rate','grid_quality');
document.getElementById('grid-note').textContent=W.grid_note;
var cols=['id','name','level','region','status','published','deadline','late','hard','soft','not_checkable','blank_totals'];
var names={id:'agency_id',name:'agency_name',region:'region',late:'late'};
var tb=document.getElementById('agencies'),thead=el('tr'),body=el('tbody'),sortKey=null,asc=true;
document.getElementById('agencies-h').textContent=W.agencies;document.getElementById('agencies-note').textContent=W.agencies_note;
cols.forEach(function(c){var th=el('th',{'data-key':c},[W[names[c]||c]]);th.addEventListener('click',function(){
 asc=sortKey===c?!asc:true;sortKey=c;draw()});thead.appendChild(th)});
tb.appendChild(el('thead',null,[thead]));tb.appendChild(body);
function cell(a,c){var v=a[c];if(c==='late')return v===null?'':(v?W.yes:W.no);return v===null||v===undefined?'':String(v)}
function draw(){var rows=D.agencies.slice();if(sortKey){rows.sort(function(x,y){var a=x[sortKey],b=y[sortKey];
 if(a===b)return 0;if(a===null||a===undefined)return 1;if(b===null||b===undefined)return -1;return (a<b?-1:1)*(asc?1:-1)})}
 body.innerHTML='';rows.forEach(function(a){var tr=el('tr');cols.forEach(function(c){var td=el('td',null,[cell(a,c)]);
 if(typeof a[c]==='number')td.className='num';if((c==='hard'&&a.hard>0)||(c==='late'&&a.late))td.className+=' bad';tr.appendChild(td)});
 body.appendChild(tr)});Array.prototype.forEach.call(thead.children,function(th){th.className=th.getAttribute('data-key')===sortKey?(asc?'sorted-asc':'sorted-desc'):''})}
draw();
var T=D.trends,sv=document.getElementById('trends'),w=900,h=300,p=50;document.getElementById('trends-h').textContent=W.trends;
var max=1;T.years.forEach(function(y){T.series.forEach(function(s){max=Math.max(max,T.values[y][s.cell]||0)})});
var ns='http://www.w3.org/2000/svg';function sel(t,a,txt){var e=document.createElementNS(ns,t);for(var k in a)e.setAttribute(k,a[k]);if(txt)e.textContent=txt;return e}
sv.setAttribute('viewBox','0 0 '+w+' '+h);var pal=['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd'];
function X(i){return p+(T.years.length<2?0:i*(w-2*p-140)/(T.years.length-1))}function Y(v){return h-p-(v/max)*(h-2*p)}
sv.appendChild(sel('line',{x1:p,y1:h-p,x2:w-p-140,y2:h-p,stroke:'#889'}));
for(var q=0;q<=4;q++){var v=max*q/4;sv.appendChild(sel('text',{x:4,y:Y(v)+4},String(Math.round(v))));
 sv.appendChild(sel('line',{x1:p,y1:Y(v),x2:w-p-140,y2:Y(v),stroke:'#eee'}))}
T.years.forEach(function(y,i){sv.appendChild(sel('text',{x:X(i)-14,y:h-p+18},String(y)))});
T.series.forEach(function(s,j){var pts=T.years.map(function(y,i){return X(i)+','+Y(T.values[y][s.cell]||0)}).join(' ');
 sv.appendChild(sel('polyline',{points:pts,fill:'none',stroke:pal[j%5],'stroke-width':2}));
 T.years.forEach(function(y,i){sv.appendChild(sel('circle',{cx:X(i),cy:Y(T.values[y][s.cell]||0),r:3,fill:pal[j%5]}))});
 sv.appendChild(sel('rect',{x:w-p-120,y:p+j*20-9,width:12,height:12,fill:pal[j%5]}));sv.appendChild(sel('text',{x:w-p-102,y:p+j*20+2},s.name))});
var ct=document.getElementById('consolidated');document.getElementById('consolidated-h').textContent=W.consolidated;
if(!D.consolidated.length){ct.parentNode.insertBefore(el('p',{'class':'note'},[W.consolidated_none]),ct)}else{
 var hr=el('tr');['agency_id','agency_name','cell','printed','members_sum','members'].forEach(function(c){hr.appendChild(el('th',null,[W[c]]))});
 ct.appendChild(el('thead',null,[hr]));var cb=el('tbody');D.consolidated.forEach(function(f){cb.appendChild(el('tr',null,[
 el('td',null,[f.id]),el('td',null,[f.name||'']),el('td',null,[f.label+' ('+f.cell+')']),el('td',{'class':'num'},[String(f.printed)]),
 el('td',{'class':'num'},[String(f.members_sum)]),el('td',{'class':'num'},[String(f.members)])]))});ct.appendChild(cb)}
var dt=document.getElementById('dictionary');document.getElementById('dictionary-h').textContent=W.dictionary;
var dh=el('tr');['metric','definition','cells'].forEach(function(c){dh.appendChild(el('th',null,[W[c]]))});dt.appendChild(el('thead',null,[dh]));
var db=el('tbody');D.metrics.forEach(function(m){db.appendChild(el('tr',null,[el('td',null,[m.name]),el('td',null,[m.definition]),el('td',null,[m.cells])]))});
dt.appendChild(db);document.body.setAttribute('data-ready','1');
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title></title><style>{css}</style></head>
<body><header><h1 id="title"></h1><p id="computed"></p></header><main>
<section><div class="kpis" id="kpis"></div></section>
<section><div class="grids"><div><h2 id="grid-c-h"></h2><div class="grid" id="grid-c"></div></div>
<div><h2 id="grid-q-h"></h2><div class="grid" id="grid-q"></div></div></div><p class="note" id="grid-note"></p></section>
<section><h2 id="agencies-h"></h2><p class="note" id="agencies-note"></p><div class="scroll"><table id="agencies"></table></div></section>
<section><h2 id="trends-h"></h2><svg id="trends" width="100%"></svg></section>
<section><h2 id="consolidated-h"></h2><div class="scroll"><table id="consolidated"></table></div></section>
<section><h2 id="dictionary-h"></h2><table id="dictionary"></table></section>
</main>
<script type="application/json" id="data">{data}</script>
<script>
window.addEventListener('error',function(e){{document.body.setAttribute('data-error',String(e.message))}});
{js}</script></body></html>
"""


def dashboard_html(data: OfficeData) -> str:
    """The page (module doc): the data embedded as JSON, `</` escaped so no string ends the script."""
    payload = json.dumps(dashboard_data(data), ensure_ascii=False, default=str).replace("</", "<\\/")
    return _PAGE.format(css=_CSS, data=payload, js=_JS)

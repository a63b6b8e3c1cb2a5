/**
 * The report page's inline style sheet and script. Plain strings, not compiled
 * code: the page must run as written, with nothing added by a build step.
 *
 * Colours are the Okabe–Ito palette (told apart with the common colour-vision
 * deficiencies); nothing depends on colour alone: versions also differ by dash
 * pattern and end label, alarm states by pattern and text.
 */
export const STYLE = `
:root { --current: #0072B2; --target: #D55E00; --alarm: #b3261e; --ok: #1a7f37; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0 auto; padding: 16px 24px 48px; max-width: 1040px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.subtitle { color: var(--muted); margin: 0 0 12px; }
.verdict { display: inline-block; font-weight: 700; font-size: 18px; padding: 4px 12px; border-radius: 4px; border: 2px solid; margin: 0 0 8px; }
.verdict-ok { color: var(--ok); }
.verdict-bad { color: var(--alarm); border-style: double; border-width: 4px; }
.verdict-running { color: #7d4e00; border-style: dashed; }
.why { font-size: 15px; margin: 4px 0 10px; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 8px 10px; overflow-x: auto; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; word-break: break-word; }
.legend { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.legend svg { vertical-align: middle; margin-right: 4px; }
figure { margin: 0; overflow-x: auto; }
figure:focus { outline: 2px solid var(--current); }
figcaption, .note { color: var(--muted); font-size: 13px; }
#readout { min-height: 2.9em; font-size: 13px; background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; margin: 6px 0; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.state-passed { color: var(--ok); }
.state-failed, .state-error { color: var(--alarm); font-weight: 600; }
.state-inconclusive { color: #7d4e00; font-weight: 600; }
details { margin: 4px 0; }
summary { cursor: pointer; }
.hook { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px 8px; margin: 10px 0; }
.hook-bad { border-left: 6px double var(--alarm); }
.hook-ok { border-left: 6px solid var(--ok); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
svg text { font: 11px system-ui, sans-serif; fill: #1f2328; }
svg .panel-title { font-weight: 600; font-size: 12px; }
svg .tick, svg .lane-label, svg .axis-label { fill: var(--muted); }
svg .grid { stroke: #eaeef2; }
svg .frame { fill: none; stroke: var(--line); }
svg .empty { fill: var(--muted); font-style: italic; }
svg .line { fill: none; stroke-width: 2; stroke-linejoin: round; }
svg circle.line { stroke-width: 1.5; }
svg .v-current { stroke: var(--current); }
svg .v-target { stroke: var(--target); stroke-dasharray: 7 4; }
svg circle.v-current { fill: var(--current); }
svg circle.v-target { fill: var(--target); }
svg .tail { stroke-width: 1; }
svg .v-current.tail { stroke-dasharray: 2 2; }
svg .v-target.tail { stroke-dasharray: 7 2 2 2; }
svg text.v-current { fill: var(--current); stroke: none; font-weight: 600; }
svg text.v-target { fill: var(--target); stroke: none; font-weight: 600; font-style: italic; }
svg .alarm-band { fill: url(#hatch-alarm); opacity: 0.35; }
svg .hatch-bg { fill: #fbe9e7; }
svg .hatch-line { stroke: var(--alarm); stroke-width: 3; }
svg .dot { fill: var(--muted); }
svg .lane { stroke: #fff; }
svg .state-ok { fill: #e6f4ea; }
svg .state-alarm { fill: url(#hatch-alarm); }
svg .state-insufficient { fill: url(#dots-insufficient); }
svg .lane-text { font-size: 10px; font-weight: 600; }
svg line.marker { stroke: var(--muted); stroke-dasharray: 1 3; }
svg line.marker-rollback { stroke: var(--alarm); stroke-width: 2; stroke-dasharray: 8 3 2 3; }
svg line.marker-end { stroke: #1f2328; stroke-dasharray: none; }
svg text.marker-label { font-size: 10px; fill: var(--muted); }
svg text.marker-rollback { fill: var(--alarm); font-weight: 700; }
svg .tick-mark { stroke: var(--muted); }
svg .crosshair { stroke: #1f2328; stroke-width: 1; }
@media print { #readout { display: none; } }
`;

/**
 * The hover and keyboard readout: the values of every drawn line at one moment.
 * It reads the drawn points from the JSON block; without it the page is still
 * complete (the data table holds the same numbers).
 */
export const SCRIPT = `
(function () {
  'use strict';
  var dataEl = document.getElementById('chart-data');
  var svg = document.getElementById('timeline-chart');
  var hover = document.getElementById('chart-hover');
  var cross = document.getElementById('crosshair');
  var readout = document.getElementById('readout');
  var figure = document.getElementById('chart-figure');
  if (!dataEl || !svg || !hover || !cross || !readout || !figure) return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var current = 0;
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  // As the CLI writes simulated time: mm:ss, or h:mm:ss.
  function clock(s) {
    s = Math.max(0, Math.round(s));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return h > 0 ? h + ':' + pad(m) + ':' + pad(sec) : pad(m) + ':' + pad(sec);
  }
  function fmt(v) {
    if (v === 0) return '0';
    return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Number(v.toPrecision(3)));
  }
  // The value of a line at time t: the last point at or before t (lines are steps); null in a gap.
  function valueAt(points, t) {
    var lo = 0, hi = points.length - 1;
    if (hi < 0 || points[0][0] > t) return null;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (points[mid][0] <= t) lo = mid; else hi = mid - 1; }
    return points[lo][1];
  }
  function show(t) {
    current = Math.min(Math.max(t, 0), data.x.duration);
    var sx = data.x.left + (current / data.x.duration) * data.x.width;
    cross.setAttribute('x1', String(sx));
    cross.setAttribute('x2', String(sx));
    cross.setAttribute('visibility', 'visible');
    var parts = [];
    data.panels.forEach(function (p) {
      var vals = p.lines.map(function (l) { var v = valueAt(l.points, current); return v === null ? null : l.label + ' ' + fmt(v) + ' ' + p.unit; }).filter(Boolean);
      if (vals.length) parts.push(p.name + ' ' + vals.join(', '));
    });
    readout.textContent = 'At ' + clock(current) + ': ' + (parts.length ? parts.join('; ') : 'no data');
  }
  hover.addEventListener('mousemove', function (ev) {
    var m = svg.getScreenCTM();
    if (!m) return;
    var pt = svg.createSVGPoint();
    pt.x = ev.clientX;
    pt.y = ev.clientY;
    var local = pt.matrixTransform(m.inverse());
    show(((local.x - data.x.left) / data.x.width) * data.x.duration);
  });
  hover.addEventListener('mouseleave', function () { cross.setAttribute('visibility', 'hidden'); });
  figure.addEventListener('keydown', function (ev) {
    var step = data.x.duration / 100;
    if (ev.key === 'ArrowRight') show(current + step);
    else if (ev.key === 'ArrowLeft') show(current - step);
    else if (ev.key === 'Home') show(0);
    else if (ev.key === 'End') show(data.x.duration);
    else return;
    ev.preventDefault();
  });
  document.documentElement.setAttribute('data-report-ready', 'true');
})();
`;

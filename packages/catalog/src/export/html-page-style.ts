/** The export page's CSS, inline so the page is one self-contained file; system fonts only. */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1f2933; --muted: #6b7785; --line: #e3e7ec; --bg: #f6f8fa; --card: #ffffff;
  --good: #1a7f37; --good-bg: #dcf5e3; --bad: #b42318; --bad-bg: #fde4e1; --warn: #9a6700; --warn-bg: #fff3c4;
  --info: #3056d3; --info-bg: #e3ebff; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 24px 40px; background: var(--bg); color: var(--ink);
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { margin-bottom: 18px; }
h1 { margin: 0 0 4px; font-size: 24px; font-weight: 650; }
h2 { margin: 26px 0 10px; font-size: 17px; font-weight: 600; }
.meta, .muted, .hint { color: var(--muted); }
.hint { font-size: 12px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.card .label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.card .value { font-size: 22px; font-weight: 650; margin: 4px 0 2px; }
.card.good .value { color: var(--good); }
.card.warn .value { color: var(--warn); }
table { width: 100%; border-collapse: separate; border-spacing: 0; background: var(--card);
  border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
table.compact { width: auto; min-width: 640px; }
th, td { padding: 7px 9px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
th { background: #eef1f5; font-size: 12px; font-weight: 600; color: #3e4c59; white-space: nowrap; }
tbody tr:last-child td { border-bottom: none; }
tbody tr:hover td { background: #f8fafc; }
td { white-space: nowrap; }
td.database { white-space: normal; overflow-wrap: break-word; min-width: 110px; max-width: 200px; }
td.host { white-space: normal; overflow-wrap: break-word; }
.number { text-align: right; font-variant-numeric: tabular-nums; }
td.location { white-space: normal; overflow-wrap: anywhere; min-width: 180px; }
tr.has-error td { border-bottom: none; }
tr.error-row td { padding-top: 0; color: var(--bad); font-size: 12px; white-space: normal; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge.success, .badge.passed { color: var(--good); background: var(--good-bg); }
.badge.failed { color: var(--bad); background: var(--bad-bg); }
.badge.running { color: var(--warn); background: var(--warn-bg); }
.badge.encrypted { color: var(--info); background: var(--info-bg); }
.empty { background: var(--card); border: 1px dashed var(--line); border-radius: 10px; padding: 20px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
`;

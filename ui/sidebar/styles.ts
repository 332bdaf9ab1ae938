// The sidebar's own styles. It may be mounted in a shadow root or a page it does not own, so it
// brings everything it needs, scoped under .crm-sidebar (and :host when in a shadow root).
export const sidebarCss = `
:host { all: initial; display: block; }
.crm-sidebar {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --soft: #f6f8fa;
  --accent: #0b57d0; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e;
  /* One small type scale: every text size in the sidebar is one of these. */
  --text-xs: 11px; --text-s: 12px; --text-m: 13px; --text-l: 14px;
  font: var(--text-m)/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); padding: 8px 12px 16px; box-sizing: border-box;
}
.crm-sidebar *, .crm-sidebar *::before, .crm-sidebar *::after { box-sizing: inherit; }
.crm-sidebar h2, .crm-sidebar h3, .crm-sidebar h4 { margin: 0; font-size: inherit; }
.crm-sidebar h2 { font-size: var(--text-s); text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 12px 0 4px; }
.crm-sidebar button.crm-fold { all: unset; cursor: pointer; display: flex; align-items: center; gap: 4px; width: 100%; font: inherit; letter-spacing: inherit; color: inherit; }
.crm-sidebar button.crm-fold::before { content: "▾"; font-size: var(--text-xs); }
.crm-sidebar button.crm-fold[aria-expanded="false"]::before { content: "▸"; }
.crm-sidebar button.crm-fold:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.crm-sticky { position: sticky; top: 0; z-index: 4; background: var(--bg); margin: 0 -12px; padding: 6px 12px; border-bottom: 1px solid var(--line); }
.crm-sticky-who, .crm-sticky-deal { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.crm-sidebar h3 { font-size: var(--text-l); }
.crm-sidebar ul { list-style: none; margin: 0; padding: 0; }
.crm-sidebar p { margin: 4px 0; }
.crm-sidebar :focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.crm-card { border: 1px solid var(--line); border-radius: 8px; padding: 6px 10px; margin: 4px 0; }
.crm-card header { display: flex; gap: 6px; align-items: baseline; justify-content: space-between; }
.crm-muted { color: var(--muted); }
.crm-row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 6px; }
.crm-sidebar button {
  font: inherit; border: 1px solid var(--line); background: var(--soft); color: var(--fg);
  border-radius: 6px; padding: 3px 10px; cursor: pointer;
}
.crm-sidebar button.crm-primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.crm-sidebar button:disabled { opacity: .55; cursor: default; }
.crm-sidebar input, .crm-sidebar select, .crm-sidebar textarea {
  font: inherit; color: inherit; border: 1px solid var(--line); border-radius: 6px; padding: 3px 6px; background: var(--bg);
}
.crm-sidebar textarea { width: 100%; min-height: 56px; resize: vertical; }
.crm-sidebar label { display: flex; flex-direction: column; gap: 2px; font-size: var(--text-s); color: var(--muted); }
.crm-sidebar label.crm-inline { flex-direction: row; align-items: center; gap: 6px; color: var(--fg); }
.crm-badge { display: inline-block; border-radius: 999px; padding: 0 8px; font-size: var(--text-xs); background: var(--soft); border: 1px solid var(--line); white-space: nowrap; }
.crm-badge.crm-pending { color: var(--warn); border-color: currentColor; }
.crm-risk-low { color: var(--ok); border-color: currentColor; }
.crm-risk-medium { color: var(--warn); border-color: currentColor; }
.crm-risk-high { color: var(--bad); border-color: currentColor; }
.crm-banner { border-radius: 8px; padding: 6px 10px; margin: 4px 0; background: var(--soft); border: 1px solid var(--line); }
.crm-banner.crm-offline { border-color: var(--warn); }
.crm-banner.crm-error { border-color: var(--bad); color: var(--bad); }
.crm-banner .crm-row { margin-top: 4px; }
.crm-list > li { padding: 5px 0; border-top: 1px solid var(--line); }
.crm-list > li:first-child { border-top: 0; }
.crm-overdue { color: var(--bad); }
.crm-skeleton { height: 48px; border-radius: 8px; background: linear-gradient(90deg, var(--soft), #eaeef2, var(--soft)); margin: 6px 0; }
.crm-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.crm-sidebar details summary { cursor: pointer; color: var(--muted); }
.crm-small { font-size: var(--text-s); }
.crm-sidebar h4.crm-subheading { font-size: var(--text-s); color: var(--muted); font-weight: 600; margin: 8px 0 2px; }
.crm-badge.crm-opened { color: var(--ok); border-color: currentColor; }
.crm-click { display: flex; justify-content: space-between; gap: 8px; align-items: baseline; }
.crm-click-url { color: var(--accent); min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.crm-click > span { white-space: nowrap; }
.crm-pending-text { color: var(--warn); }
.crm-machine-hits { margin-top: 8px; }
.crm-machine-hits summary { font-size: var(--text-s); }
.crm-machine-hits .crm-list { margin-top: 4px; }
.crm-has-tip { position: relative; display: flex; align-items: center; gap: 6px; }
.crm-sidebar button.crm-tip-button {
  width: 18px; height: 18px; padding: 0; border-radius: 50%; font-size: var(--text-xs); line-height: 16px; text-align: center; color: var(--muted);
}
.crm-tooltip {
  position: absolute; left: 0; right: 0; top: 100%; z-index: 5; margin-top: 2px;
  background: var(--fg); color: #fff; border-radius: 6px; padding: 6px 8px; font-size: var(--text-s); line-height: 1.4;
  box-shadow: 0 4px 12px rgb(0 0 0 / 20%);
}
.crm-tooltip[hidden] { display: none; }
.crm-risk summary { list-style-position: inside; }
.crm-next-action { margin: 6px 0 4px; }
.crm-reasons > li { display: flex; gap: 6px; align-items: baseline; padding: 2px 0; }
.crm-points { flex: none; min-width: 28px; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; color: var(--bad); }
.crm-points.crm-good { color: var(--ok); }
.crm-stages { display: flex; gap: 2px; margin-top: 6px; }
.crm-stages > button { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.crm-deal-actions { justify-content: space-between; }
.crm-deal-actions > form { flex-basis: 100%; }
.crm-closed-stages { display: flex; gap: 4px; margin-left: auto; }
.crm-sidebar button.crm-stage { flex: 1 1 auto; padding: 2px 4px; font-size: var(--text-xs); border-radius: 4px; background: var(--bg); color: var(--muted); }
.crm-sidebar button.crm-stage-current { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
.crm-sidebar button.crm-stage-won:not(.crm-stage-current) { color: var(--ok); }
.crm-sidebar button.crm-stage-lost:not(.crm-stage-current) { color: var(--bad); }
.crm-form { display: flex; flex-direction: column; gap: 6px; margin-top: 6px; }
.crm-form input, .crm-form select { width: 100%; }
.crm-two { display: flex; gap: 6px; }
.crm-grow { flex: 1 1 0; min-width: 0; }
.crm-field { display: flex; flex-direction: column; gap: 2px; }
.crm-field > .crm-small:empty { display: none; }
.crm-date-field { display: flex; gap: 4px; }
.crm-date-field input[type=date] { flex: none; width: 34px; padding: 3px 2px; color: transparent; }
.crm-date-field input[type=date]::-webkit-datetime-edit { display: none; }
.crm-status { position: sticky; top: 0; z-index: 6; background: var(--bg); }
.crm-notice { display: flex; gap: 8px; align-items: center; box-shadow: 0 2px 6px rgb(0 0 0 / 12%); }
.crm-notice > span { flex: 1; }
.crm-sidebar button.crm-link { border: 0; background: none; color: var(--accent); font-weight: 600; padding: 0 4px; }
`;

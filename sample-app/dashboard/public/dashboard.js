// The dashboard's only script: fetches /analytics/api/summary every few seconds and fills the
// page. Plain browser JavaScript with chart.js (served by the app) as its one dependency.
(() => {
  'use strict';

  const REFRESH_MS = 5000;
  const PALETTE = ['#2e86de', '#e67e22', '#27ae60', '#8e44ad', '#c0392b', '#16a085', '#d35400', '#2c3e50', '#f1c40f', '#7f8c8d'];
  const charts = {};
  let latest;

  const byId = (id) => document.getElementById(id);
  const fmt = (n, digits = 0) => (typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–');
  const time = (minute) => minute.slice(11, 16);

  function cell(value, { num = false, code = false, raw } = {}) {
    const td = document.createElement('td');
    td.textContent = value;
    if (num) td.className = 'num';
    if (code) td.className = 'code';
    if (raw !== undefined) td.dataset.value = String(raw);
    return td;
  }

  function fillTable(id, rows, toCells, key) {
    const body = byId(id).tBodies[0];
    const columns = byId(id).tHead.rows[0].cells.length;
    body.replaceChildren();
    if (rows.length === 0) {
      const tr = body.insertRow();
      tr.className = 'empty';
      const td = cell('nothing yet');
      td.colSpan = columns;
      tr.append(td);
      return;
    }
    for (const row of rows) {
      const tr = body.insertRow();
      tr.dataset.key = key(row);
      tr.append(...toCells(row));
    }
  }

  function chart(id, config) {
    if (charts[id]) {
      charts[id].data = config.data;
      charts[id].update('none');
    } else {
      charts[id] = new Chart(byId(id), { ...config, options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options } });
    }
  }

  function renderTiles(errors) {
    byId('tile-requests').textContent = fmt(errors.requests);
    byId('tile-failed').textContent = fmt(errors.failed);
    byId('tile-server-errors').textContent = fmt(errors.serverErrors);
    byId('tile-error-rate').textContent = `${fmt(errors.rate * 100, 1)}%`;
    byId('tile-error-rate').dataset.value = String(errors.rate);
  }

  function renderTraffic(traffic) {
    chart('traffic-chart', {
      type: 'bar',
      data: {
        labels: traffic.map((p) => time(p.minute)),
        datasets: [
          { label: 'succeeded', data: traffic.map((p) => p.requests - p.failed), backgroundColor: '#2e86de' },
          { label: 'failed', data: traffic.map((p) => p.failed), backgroundColor: '#c0392b' },
        ],
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  function renderRouteChoices(routes) {
    const select = byId('route-select');
    const wanted = ['', ...routes.map((r) => r.route)];
    const have = [...select.options].map((o) => o.value);
    if (wanted.join('\n') === have.join('\n')) return;
    const chosen = select.value;
    select.replaceChildren(...wanted.map((route) => new Option(route || 'every route, p95', route)));
    select.value = wanted.includes(chosen) ? chosen : '';
  }

  function renderLatency(summary) {
    const minutes = summary.traffic.map((p) => p.minute);
    const route = byId('route-select').value;
    const at = (points, pick) => minutes.map((m) => {
      const point = points.find((p) => p.minute === m);
      return point ? point[pick] : null;
    });
    let datasets;
    if (route) {
      const points = summary.latency.filter((p) => p.route === route);
      datasets = ['p50', 'p95', 'p99'].map((p, i) => ({ label: `${p}`, data: at(points, p), borderColor: PALETTE[i], backgroundColor: PALETTE[i], spanGaps: true }));
    } else {
      datasets = summary.routes.map((r, i) => ({
        label: r.route,
        data: at(summary.latency.filter((p) => p.route === r.route), 'p95'),
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        spanGaps: true,
      }));
    }
    chart('latency-chart', {
      type: 'line',
      data: { labels: minutes.map(time), datasets },
      options: { scales: { y: { beginAtZero: true } }, plugins: { legend: { labels: { boxWidth: 10, font: { size: 10 } } } } },
    });
  }

  function renderPayments(payments) {
    chart('payments-chart', {
      type: 'doughnut',
      data: {
        labels: payments.map((p) => p.outcome),
        datasets: [{ data: payments.map((p) => p.count), backgroundColor: ['#1e8449', '#c0392b'] }],
      },
    });
    fillTable('payments-table', payments, (p) => [
      cell(p.outcome),
      cell(fmt(p.count), { num: true, raw: p.count }),
      cell(Object.entries(p.amounts).map(([currency, amount]) => `${fmt(amount, 2)} ${currency}`).join(', ') || '–'),
    ], (p) => p.outcome);
  }

  function render(summary) {
    latest = summary;
    byId('destination').textContent = summary.source.destination;
    byId('warehouse').textContent = summary.source.exists ? summary.source.warehouse : `${summary.source.warehouse} (no events delivered yet)`;
    renderTiles(summary.errors);
    renderTraffic(summary.traffic);
    renderRouteChoices(summary.routes);
    renderLatency(summary);
    fillTable('routes-table', summary.routes, (r) => [
      cell(r.route, { code: true }),
      cell(fmt(r.requests), { num: true, raw: r.requests }),
      cell(fmt(r.failed), { num: true, raw: r.failed }),
      cell(fmt(r.p50, 1), { num: true, raw: r.p50 }),
      cell(fmt(r.p95, 1), { num: true, raw: r.p95 }),
      cell(fmt(r.p99, 1), { num: true, raw: r.p99 }),
    ], (r) => r.route);
    fillTable('tables-table', summary.tables, (t) => [cell(t.table, { code: true }), cell(fmt(t.rows), { num: true, raw: t.rows })], (t) => t.table);
    fillTable('error-sources-table', summary.errors.bySource, (e) => [cell(e.source), cell(fmt(e.count), { num: true, raw: e.count })], (e) => e.source);
    renderPayments(summary.payments);
    fillTable('queries-table', summary.slowQueries, (q) => [
      cell(q.fingerprint, { code: true }),
      cell(fmt(q.count), { num: true, raw: q.count }),
      cell(fmt(q.avgMs, 2), { num: true, raw: q.avgMs }),
      cell(fmt(q.maxMs, 2), { num: true, raw: q.maxMs }),
      cell(fmt(q.failed), { num: true, raw: q.failed }),
    ], (q) => q.fingerprint);
    fillTable('recent-table', summary.recent, (e) => [
      cell(e.timestamp.replace('T', ' ').slice(0, 19)),
      cell(e.table, { code: true }),
      cell(e.event),
      cell(e.detail),
      cell(e.userId ?? ''),
      cell(e.requestId ? e.requestId.slice(0, 8) : '', { code: true }),
    ], (e) => `${e.table}:${e.timestamp}`);
    byId('updated').textContent = new Date(summary.generatedAt).toLocaleTimeString();
    // Lets a test (or a curious reader) tell which summary the page shows.
    document.body.dataset.generatedAt = summary.generatedAt;
  }

  function showProblem(message) {
    const box = byId('problem');
    box.textContent = message;
    box.classList.toggle('shown', message !== '');
  }

  async function refresh() {
    try {
      const response = await fetch('/analytics/api/summary', { cache: 'no-store' });
      if (!response.ok) throw new Error(`the summary request answered ${response.status}`);
      render(await response.json());
      showProblem('');
    } catch (error) {
      showProblem(`Could not load the analytics summary: ${error.message}`);
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  byId('route-select').addEventListener('change', () => latest && renderLatency(latest));
  if (typeof Chart === 'undefined') showProblem('chart.js did not load from /analytics/chart.umd.min.js');
  else refresh();
})();

// The jobs' state and progress, pushed by the server once a second (Server-Sent Events).
const es = new EventSource('/api/jobs/stream');
es.addEventListener('jobs', (e) => {
  for (const j of JSON.parse(e.data)) {
    const row = document.getElementById('job-' + j.job);
    if (!row) continue;
    row.cells[1].textContent = j.state_zh;
    row.cells[2].textContent = j.since_zh || '';
    row.cells[3].textContent = j.message || '';
    const lines = j.sites.map((s) =>
      `${s.site}：已抓取${s.fetched}，失败${s.failed}，待抓取${s.queued}${s.done ? '（完成）' : ''}`);
    if (j.eta_zh) lines.unshift(`预计剩余${j.eta_zh}`);
    row.cells[4].replaceChildren(...lines.map((text) => {
      const d = document.createElement('div');
      d.textContent = text;
      return d;
    }));
  }
});

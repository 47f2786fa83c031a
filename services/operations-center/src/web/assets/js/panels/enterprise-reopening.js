// The enterprise-reopening panel: how the enterprise-reopening section of an overview appears on tiles, KPIs,
// detail cards, the subdistrict table and the charts. It registers itself in the panel registry.
(function (ns) {
  const { num } = ns.format;
  const pct = (share) => (share === null || share === undefined ? '–' : `${(100 * share).toFixed(1)}%`);

  const enterpriseReopeningPanel = {
    key: 'enterpriseReopening',
    title: 'Enterprise reopening',
    titleZh: '企业复工复产',

    /** The big figure of a district tile. */
    headline(f) {
      return { label: 'Reopening rate', value: f.reopeningRate ?? 0, text: pct(f.reopeningRate) };
    },

    /** Small lines of a district tile. */
    tileLines(f) {
      return [
        { id: 'reopened', label: 'Reopened', value: `${num(f.reopened)} of ${num(f.registered)}` },
        { id: 'overdue', label: 'Appeals overdue', value: num(f.appeals.overdue) },
      ];
    },

    /** Key figures of the city or one district. */
    kpis(f) {
      return [
        { id: 'rate', label: 'Reopening rate', zh: '复工率', value: pct(f.reopeningRate), sub: `${num(f.reopened)} of ${num(f.registered)} enterprises` },
        {
          id: 'on-site',
          label: 'On site today',
          zh: '到岗人数',
          value: num(f.workforce.onSiteToday),
          sub: `${pct(f.workforce.onSiteShare)} of ${num(f.workforce.usualHeadcount)} usual`,
        },
        { id: 'inspections', label: 'Inspections', zh: '检查', value: num(f.inspections.today), sub: `${num(f.inspections.total)} in all` },
        { id: 'appeals', label: 'Appeals open', zh: '诉求', value: num(f.appeals.open), sub: `${num(f.appeals.overdue)} overdue` },
      ];
    },

    /** Detail cards of one district. */
    detailHtml(f) {
      const industries = Object.entries(f.byIndustry)
        .filter(([, s]) => s.registered > 0)
        .sort((a, b) => (a[1].reopeningRate ?? 0) - (b[1].reopeningRate ?? 0))
        .map(
          ([code, s]) => `<tr><td>${code}</td><td class="num">${num(s.reopened)} / ${num(s.registered)}</td><td class="num">${pct(s.reopeningRate)}</td></tr>`,
        )
        .join('');
      const outcomes = Object.entries(f.inspections.byOutcome)
        .map(([outcome, c]) => `<tr><td>${outcome}</td><td class="num">${num(c.today)}</td><td class="num muted">${num(c.total)}</td></tr>`)
        .join('');
      const ages = (a) => `<td class="num">${num(a.under1Day)}</td><td class="num">${num(a.from1To3Days)}</td><td class="num">${num(a.over3Days)}</td>`;
      const noAges = { under1Day: 0, from1To3Days: 0, over3Days: 0 };
      const departments = Object.entries(f.appeals.openByDepartment)
        .filter(([, n]) => n > 0)
        .map(
          ([d, n]) =>
            `<tr><td>${d}</td><td class="num">${num(n)}</td>${ages(f.appeals.openByDepartmentAndAge[d] ?? noAges)}<td class="num">${num(f.appeals.overdueByDepartment[d] ?? 0)}</td></tr>`,
        )
        .join('');
      return `
        <div class="card"><h3>Reopening by industry 分行业复工率</h3>
          <table class="mini">
            <tr><th></th><th class="num">Reopened</th><th class="num">Rate</th></tr>
            ${industries}
          </table>
        </div>
        <div class="card"><h3>Inspections 检查结果</h3>
          <table class="mini">
            <tr><th></th><th class="num">Today</th><th class="num">In all</th></tr>
            ${outcomes}
          </table>
        </div>
        <div class="card"><h3>Appeals 企业诉求</h3>
          <table class="mini">
            <tr><th>Department</th><th class="num">Open</th><th class="num">&lt;1 day</th><th class="num">1–3 days</th><th class="num">&gt;3 days</th><th class="num">Overdue</th></tr>
            ${departments}
            <tr><td class="muted">All 合计</td><td class="num">${num(f.appeals.open)}</td>${ages(f.appeals.openByAge)}<td class="num">${num(f.appeals.overdue)}</td></tr>
          </table>
        </div>`;
    },

    /** Columns of the subdistrict table. */
    subdistrictColumns: [
      { label: 'Reopening rate', value: (f) => pct(f.reopeningRate) },
      { label: 'On site today', value: (f) => num(f.workforce.onSiteToday) },
      { label: 'Appeals overdue', value: (f) => num(f.appeals.overdue) },
    ],

    /**
     * Charts of the daily series (`days`: [{ day, figures: { enterpriseReopening: { registered, reopened, reopeningRate, onSite, ... } } }]),
     * as in canvass.js; none yet (the dashboard's browser test counts the charts on the page).
     */
    charts: [],
  };

  (ns.panels = ns.panels || []).push(enterpriseReopeningPanel);
})((window.OpsDashboard = window.OpsDashboard || {}));

// The enterprise-reopening panel: how the enterprise-reopening section of an overview appears on tiles, KPIs,
// detail cards, the subdistrict table and the charts. It registers itself in the panel registry.
(function (ns) {
  const { num } = ns.format;
  const pct = (share) => `${(100 * (share || 0)).toFixed(1)}%`;

  const enterpriseReopeningPanel = {
    key: 'enterpriseReopening',
    title: 'Enterprise reopening',
    titleZh: '企业复工复产',

    /** The big figure of a district tile. */
    headline(f) {
      return { label: 'Enterprises reopened', value: f.reopened, text: pct(f.reopeningRate) };
    },

    /** Small lines of a district tile. */
    tileLines(f) {
      return [{ id: 'reopened', label: 'Reopened', value: `${num(f.reopened)} of ${num(f.registered)}` }];
    },

    /** Key figures of the city or one district. */
    kpis(f) {
      return [
        { id: 'rate', label: 'Reopening rate', zh: '复工率', value: pct(f.reopeningRate), sub: `${num(f.reopened)} of ${num(f.registered)} enterprises` },
      ];
    },

    /** Detail cards of one district. */
    detailHtml(f) {
      return `
        <div class="card"><h3>Enterprise reopening 企业复工</h3>
          <table class="mini">
            <tr><td>Enterprises registered</td><td class="num">${num(f.registered)}</td></tr>
            <tr><td>Reopened</td><td class="num">${num(f.reopened)}</td></tr>
            <tr><td>Reopening rate</td><td class="num">${pct(f.reopeningRate)}</td></tr>
          </table>
        </div>`;
    },

    /** Columns of the subdistrict table. */
    subdistrictColumns: [
      { label: 'Reopening rate', value: (f) => pct(f.reopeningRate) },
      { label: 'Enterprises reopened', value: (f) => num(f.reopened) },
    ],

    /**
     * Charts of the daily series (`days`: [{ day, figures: { enterpriseReopening: { registered, reopened, reopeningRate } } }]),
     * as in canvass.js; none yet (the dashboard's browser test counts the charts on the page).
     */
    charts: [],
  };

  (ns.panels = ns.panels || []).push(enterpriseReopeningPanel);
})((window.OpsDashboard = window.OpsDashboard || {}));

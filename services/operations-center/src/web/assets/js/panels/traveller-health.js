// The traveller-health panel: how the traveller-health section of an overview appears on tiles, KPIs,
// detail cards, the subdistrict table and the charts. It registers itself in the panel registry.
(function (ns) {
  const { num } = ns.format;

  const travellerHealthPanel = {
    key: 'travellerHealth',
    title: 'Traveller health',
    titleZh: 'Traveller health',

    /** The big figure of a district tile. */
    headline(f) {
      return { label: 'Open cases', value: f.openCases, text: num(f.openCases) };
    },

    /** Small lines of a district tile. */
    tileLines(f) {
      return [{ id: 'opened', label: 'Cases opened today', value: num(f.opened.today) }];
    },

    /** Key figures of the city or one district. */
    kpis(f) {
      return [
        { id: 'open', label: 'Open cases', zh: 'Traveller health', value: num(f.openCases), sub: 'now' },
        { id: 'opened', label: 'Cases opened', zh: 'Traveller health', value: num(f.opened.today), sub: `${num(f.opened.total)} in all` },
        { id: 'closed', label: 'Cases closed', zh: 'Traveller health', value: num(f.closed.today), sub: `${num(f.closed.total)} in all` },
      ];
    },

    /** Detail cards of one district. */
    detailHtml(f) {
      return `
        <div class="card"><h3>Traveller health</h3>
          <table class="mini">
            <tr><th></th><th class="num">Today</th><th class="num">In all</th></tr>
            <tr><td>Cases opened</td><td class="num">${num(f.opened.today)}</td><td class="num muted">${num(f.opened.total)}</td></tr>
            <tr><td>Cases closed</td><td class="num">${num(f.closed.today)}</td><td class="num muted">${num(f.closed.total)}</td></tr>
            <tr><td>Open now</td><td class="num">${num(f.openCases)}</td><td></td></tr>
          </table>
        </div>`;
    },

    /** Columns of the subdistrict table. */
    subdistrictColumns: [
      { label: 'Open cases', value: (f) => num(f.openCases) },
      { label: 'Cases opened today', value: (f) => num(f.opened.today) },
    ],

    /**
     * Charts of the daily series (`days`: [{ day, figures: { travellerHealth: { openCases, opened, closed } } }]),
     * as in canvass.js; none yet (the dashboard's browser test counts the charts on the page).
     */
    charts: [],
  };

  (ns.panels = ns.panels || []).push(travellerHealthPanel);
})((window.OpsDashboard = window.OpsDashboard || {}));

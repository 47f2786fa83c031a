// The traveller-health panel: how the traveller-health section of an overview appears on tiles, KPIs,
// detail cards, the subdistrict table and the charts. It registers itself in the panel registry.
// Only counts: no person is ever named here.
(function (ns) {
  const { num } = ns.format;
  const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);
  const KINDS = [
    ['road', 'Road', '公路'],
    ['railway', 'Railway', '铁路'],
    ['airport', 'Airport', '机场'],
    ['port', 'Port', '港口'],
  ];

  const travellerHealthPanel = {
    key: 'travellerHealth',
    title: 'Traveller health',
    titleZh: '来沪人员健康',

    /** The big figure of a district tile. */
    headline(f) {
      return { label: 'Under observation', value: f.underObservation, text: num(f.underObservation) };
    },

    /** Small lines of a district tile. */
    tileLines(f) {
      return [
        { id: 'registrations', label: 'Registrations today', value: num(f.registrations.today) },
        { id: 'flags', label: 'Open flags', value: num(f.openFlags) },
      ];
    },

    /** Key figures of the city or one district. */
    kpis(f) {
      return [
        { id: 'registrations', label: 'Registrations', zh: '健康登记', value: num(f.registrations.today), sub: `${num(f.registrations.total)} in all` },
        {
          id: 'keyPersons',
          label: 'Key persons pushed',
          zh: '重点人员推送',
          value: num(f.keyPersonsPushed.today),
          sub: `${num(f.keyPersonsPushed.total)} in all`,
        },
        { id: 'observation', label: 'In home observation', zh: '居家观察', value: num(f.underObservation), sub: 'now' },
        { id: 'compliance', label: 'Check-in compliance', zh: '每日打卡', value: pct(f.complianceToday), sub: `${num(f.checkInsMissed.today)} missed today` },
        { id: 'flags', label: 'Open flags', zh: '异常提醒', value: num(f.openFlags), sub: `${num(f.flagsRaised.today)} raised today` },
        { id: 'releases', label: 'Released', zh: '解除观察', value: num(f.releases.today), sub: `${num(f.releases.total)} in all` },
      ];
    },

    /** Detail cards of one district. */
    detailHtml(f) {
      const kindRows = KINDS.map(([k, en, zh]) => {
        const c = f.registrations.byCheckpointKind[k] || { today: 0, total: 0 };
        return `<tr><td>${en} ${zh}</td><td class="num">${num(c.today)}</td><td class="num muted">${num(c.total)}</td></tr>`;
      }).join('');
      const outcomes = Object.entries(f.referralOutcomes)
        .map(([k, c]) => `<tr><td>Referral outcome: ${k}</td><td class="num">${num(c.today)}</td><td class="num muted">${num(c.total)}</td></tr>`)
        .join('');
      return `
        <div class="card"><h3>Traveller health 来沪人员健康</h3>
          <table class="mini">
            <tr><th></th><th class="num">Today</th><th class="num">In all</th></tr>
            ${kindRows}
            <tr><td>Key persons pushed</td><td class="num">${num(f.keyPersonsPushed.today)}</td><td class="num muted">${num(f.keyPersonsPushed.total)}</td></tr>
            <tr><td>Check-ins made / missed</td><td class="num">${num(f.checkIns.today)} / ${num(f.checkInsMissed.today)}</td><td class="num muted">${pct(f.complianceToday)}</td></tr>
            <tr><td>Referrals to fever clinics</td><td class="num">${num(f.referrals.today)}</td><td class="num muted">${num(f.referrals.total)}</td></tr>
            ${outcomes}
            <tr><td>Releases</td><td class="num">${num(f.releases.today)}</td><td class="num muted">${num(f.releases.total)}</td></tr>
            <tr><td>In home observation now</td><td class="num">${num(f.underObservation)}</td><td></td></tr>
            <tr><td>Open flags now</td><td class="num">${num(f.openFlags)}</td><td></td></tr>
          </table>
        </div>`;
    },

    /** Columns of the subdistrict table. */
    subdistrictColumns: [
      { label: 'In observation', value: (f) => num(f.underObservation) },
      { label: 'Open flags', value: (f) => num(f.openFlags) },
    ],

    /** Charts of the daily series; none yet (the dashboard's browser test counts the charts on the page). */
    charts: [],
  };

  (ns.panels = ns.panels || []).push(travellerHealthPanel);
})((window.OpsDashboard = window.OpsDashboard || {}));

// Charts of the daily series, one set per panel, drawn with chart.js (global `Chart`).
(function (ns) {
  class ChartBoard {
    constructor(container, panels) {
      this.container = container;
      this.specs = panels.flatMap((p) => p.charts);
      this.charts = new Map();
    }

    /** Draws the series (`days`: [{ day, figures }]), updating charts in place once they exist. */
    show(days) {
      if (typeof Chart === 'undefined') return;
      for (const spec of this.specs) {
        const config = spec.config(days);
        const existing = this.charts.get(spec.id);
        if (existing) {
          existing.data.labels = config.data.labels;
          config.data.datasets.forEach((ds, i) => (existing.data.datasets[i].data = ds.data));
          existing.update('none');
          continue;
        }
        const card = document.createElement('div');
        card.className = 'card chart-card';
        card.innerHTML = `<h3>${spec.title} <span class="zh">${spec.zh}</span></h3><div class="chart-box"><canvas></canvas></div>`;
        this.container.appendChild(card);
        Chart.defaults.font = { family: getComputedStyle(document.body).fontFamily, size: 12 };
        Chart.defaults.color = '#475569';
        const chart = new Chart(card.querySelector('canvas'), {
          ...config,
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            interaction: { mode: 'index', intersect: false },
            plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, usePointStyle: true } } },
            ...config.options,
            scales: {
              x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 10 } },
              ...Object.fromEntries(Object.entries(config.options.scales || {}).map(([k, v]) => [k, { grid: { color: '#eef2f7' }, ...v }])),
            },
          },
        });
        this.charts.set(spec.id, chart);
      }
    }
  }

  ns.ChartBoard = ChartBoard;
})((window.OpsDashboard = window.OpsDashboard || {}));

// Number, percent and time formats of the dashboard (times always in Asia/Shanghai).
// Classic scripts sharing the `OpsDashboard` namespace (no ES modules: the
// workspace build compiles .js files to CommonJS, which a browser cannot load).
(function (ns) {
  const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 0 });
  const shanghaiTime = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });

  const num = (n) => (n === null || n === undefined ? '—' : integer.format(n));
  const hours = (n) => (n === null || n === undefined ? '—' : oneDecimal.format(n));
  const percent = (ratio) => (ratio === null || ratio === undefined ? '—' : `${oneDecimal.format(ratio * 100)}%`);
  const timeInCity = (iso) => shanghaiTime.format(new Date(iso));

  /** Traffic-light class for a coverage ratio. */
  function coverageLevel(ratio) {
    if (ratio === null || ratio === undefined) return 'none';
    if (ratio >= 0.7) return 'good';
    if (ratio >= 0.3) return 'fair';
    return 'low';
  }

  /** `2026-02-10T09:00` (a datetime-local value, Shanghai wall time) → ISO instant with +08:00. */
  function cityLocalToIso(value) {
    return value ? `${value.length === 16 ? `${value}:00` : value}+08:00` : null;
  }

  /** ISO instant → `YYYY-MM-DDTHH:mm` in Shanghai wall time, for a datetime-local input. */
  function isoToCityLocal(iso) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', CityKit.CITY_MINUTE).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  /** Sets an element's text; if it changed (and was shown before), flashes it. */
  function setText(el, text) {
    if (!el || el.textContent === text) return;
    const had = el.textContent !== '';
    el.textContent = text;
    if (had) {
      el.classList.remove('flash');
      void el.offsetWidth; // restart the animation
      el.classList.add('flash');
    }
  }

  ns.format = { num, hours, percent, timeInCity, coverageLevel, cityLocalToIso, isoToCityLocal, escapeHtml, setText };
})((window.OpsDashboard = window.OpsDashboard || {}));

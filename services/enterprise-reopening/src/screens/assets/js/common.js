// What both reopening screens share beyond the kit (window.CityKit): the reopening's labels and result lines.
(function (ns, kit) {
  const { el } = kit;

  const STATUSES = {
    'not-declared': ['Not declared', '未申报', ''],
    declared: ['Declared, awaiting inspection', '已申报待检查', 'info'],
    'rectification-required': ['Rectification required', '需整改', 'fair'],
    'rectification-submitted': ['Rectification submitted', '整改已提交', 'info'],
    'inspection-passed': ['Inspection passed', '检查通过', 'good'],
    reopened: ['Reopened', '已复工', 'good'],
    suspended: ['Suspended', '暂停复工', 'low'],
  };

  function statusBadge(status) {
    const [en, zh, tone] = STATUSES[status] || [status, '', ''];
    return el('span', { class: 'badge', 'data-status': status, 'data-tone': tone }, en, el('span', { class: 'zh' }, zh));
  }

  const OUTCOMES = {
    passed: ['Passed', '通过'],
    'rectification-required': ['Rectification required', '限期整改'],
    suspended: ['Suspended', '暂停'],
  };

  /** Shows a result: `tone` good or low; `items` an optional list named under the text. */
  function show(target, tone, text, items) {
    target.replaceChildren(
      text,
      items && items.length
        ? el(
            'ul',
            {},
            items.map((i) => el('li', { 'data-item': i.key }, i.label)),
          )
        : '',
    );
    target.setAttribute('data-tone', tone);
  }

  /** A client-chosen id, so that sending the same form twice records it once. */
  function newId(prefix) {
    if (window.crypto && crypto.randomUUID) return `${prefix}-${crypto.randomUUID()}`;
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  }

  Object.assign(ns, { statusBadge, OUTCOMES, show, newId });
})((window.ReopeningScreens = window.ReopeningScreens || {}), window.CityKit);

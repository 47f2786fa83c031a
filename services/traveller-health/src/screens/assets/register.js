// The traveller's registration form behind the checkpoint's QR code (/screens/register?checkpoint=<id>, and
// `&committee=<12 digits>` when a residents' committee's QR code brings the destination).
// A classic script, no framework: the phone may be old and the connection slow. The registration id is
// made here once per registration and kept until it is answered, so a retry after a lost answer (or a
// second tap) is the same registration, which the service records once.
(function () {
  const PENDING_KEY = 'th.register.pending';
  const ATTEMPTS = 4;
  const TIMEOUT_MS = 20000;
  const $ = (id) => document.getElementById(id);
  const form = $('form');
  const checkpointId = new URLSearchParams(location.search).get('checkpoint') || '';

  /** A v4 UUID; crypto.randomUUID exists only on https (and localhost), getRandomValues everywhere. */
  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function pendingId() {
    let id = sessionStorage.getItem(PENDING_KEY);
    if (!id) sessionStorage.setItem(PENDING_KEY, (id = uuid()));
    return id;
  }

  /** Today in Shanghai, YYYY-MM-DD. */
  function cityToday() {
    return new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
  }

  const value = (name) => (form.elements[name].value || '').trim();

  function body() {
    const temperature = value('declaration.temperatureC');
    const stays = value('otherStays')
      .split(/[\s,，、;]+/)
      .filter(Boolean);
    if ($('stayed-origin').checked && value('origin.cityCode')) stays.unshift(value('origin.cityCode'));
    const trip = { mode: value('trip.mode'), date: value('trip.date') };
    if (value('trip.number')) trip.number = value('trip.number');
    return {
      registrationId: pendingId(),
      checkpointId,
      identity: { name: value('identity.name'), documentKind: value('identity.documentKind'), documentNumber: value('identity.documentNumber') },
      phone: value('phone'),
      origin: { provinceCode: value('origin.provinceCode'), cityCode: value('origin.cityCode') },
      trip,
      destination: {
        districtCode: value('destination.districtCode'),
        subdistrictCode: value('destination.subdistrictCode'),
        committeeCode: value('destination.committeeCode'),
        address: value('destination.address'),
      },
      declaration: {
        // An empty or unreadable temperature goes as null: the service names the field.
        temperatureC: temperature === '' || Number.isNaN(Number(temperature)) ? null : Number(temperature),
        symptoms: Array.from(form.querySelectorAll('input[name="symptom"]:checked'), (c) => c.value),
        contactWithCases: form.querySelector('input[name="contact"]:checked').value === 'yes',
        keyAreaStays: Array.from(new Set(stays)),
      },
    };
  }

  function clearErrors() {
    for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    $('form-error').hidden = true;
  }

  /** Puts each message of the service's 400 beside its field; what has no field of its own goes above the button. */
  function showErrors(fields, message) {
    const loose = [];
    let first = null;
    for (const [path, messages] of Object.entries(fields || {})) {
      const field = fieldFor(path);
      if (!field) {
        loose.push(...messages);
        continue;
      }
      field.querySelector('.field-error').textContent = messages.join('; ');
      const input = field.querySelector('input, select');
      if (input) input.setAttribute('aria-invalid', 'true');
      if (!first) first = field;
    }
    if (loose.length > 0 || !first) {
      $('form-error').textContent = loose.length > 0 ? loose.join('; ') : message || 'The registration was not accepted.';
      $('form-error').hidden = false;
    }
    (first || $('form-error')).scrollIntoView({ block: 'center' });
  }

  /** The field of a path such as `identity.documentNumber` or `declaration.keyAreaStays.0`. */
  function fieldFor(path) {
    const parts = path.split('.');
    while (parts.length > 0) {
      const field = form.querySelector(`[data-field="${parts.join('.')}"]`);
      if (field) return field;
      parts.pop();
    }
    return null;
  }

  /** POSTs the registration, retrying the same registration id when the network fails or the server is busy. */
  async function send(payload) {
    let lastError = null;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
      try {
        const res = await fetch('/registrations', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(payload),
          signal: controller.signal,
        });
        const answer = await res.json().catch(() => null);
        if (res.status < 500 && res.status !== 429) return { status: res.status, body: answer };
        lastError = new Error(`The service is busy (HTTP ${res.status})`);
      } catch (error) {
        lastError = error;
      } finally {
        clearTimeout(timer);
      }
    }
    throw lastError;
  }

  const CLASS_TEXT = {
    key: [
      'Key person',
      '重点人员',
      'Your residents\u2019 committee will contact you today about 14 days of home observation. Please go straight to your address.',
      '请直接前往居住地，居委会今日将与您联系，安排14天居家观察。',
    ],
    general: [
      'Registered',
      '一般人员',
      'Thank you. Watch your health for 14 days and report a fever to your residents\u2019 committee.',
      '感谢配合。请自我健康观察14天，如有发热请告知居委会。',
    ],
  };

  function showAnswer(receipt) {
    const [title, titleZh, next, nextZh] = CLASS_TEXT[receipt.riskClass] || CLASS_TEXT.general;
    $('answer-title').innerHTML = `Registered <span class="zh">登记成功</span>`;
    const badge = $('answer-class');
    badge.dataset.class = receipt.riskClass;
    badge.textContent = `${title} · ${titleZh}`;
    const reasons = $('answer-reasons');
    reasons.textContent = '';
    for (const rule of receipt.firedRules) {
      const li = document.createElement('li');
      li.dataset.rule = rule.ruleId;
      li.textContent = `${rule.reason} (rule ${rule.ruleId})`;
      reasons.appendChild(li);
    }
    if (receipt.firedRules.length === 0) reasons.innerHTML = '<li>No risk rule applies to you. <span class="zh">未触发风险规则</span></li>';
    $('answer-rules').textContent = `Rule set ${receipt.ruleSetVersion} · 规则版本 ${receipt.ruleSetVersion}`;
    $('answer-next').innerHTML = `${escapeHtml(next)} <span class="zh">${escapeHtml(nextZh)}</span>`;
    $('answer-id').textContent = receipt.registrationId;
    form.hidden = true;
    $('answer').hidden = false;
    window.scrollTo(0, 0);
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  async function submit(event) {
    event.preventDefault();
    clearErrors();
    $('submit').disabled = true;
    $('sending').hidden = false;
    try {
      const { status, body: answer } = await send(body());
      if (status === 200 || status === 201) {
        sessionStorage.removeItem(PENDING_KEY);
        showAnswer(answer);
      } else if (status === 400) {
        showErrors(answer && answer.fields, answer && answer.message);
      } else {
        showErrors({}, (answer && answer.message) || `The registration was refused (HTTP ${status}).`);
      }
    } catch (error) {
      showErrors({}, `No connection to the service; your registration is kept, press Register again. 网络不通，请再次提交。 (${error.message})`);
    } finally {
      $('submit').disabled = false;
      $('sending').hidden = true;
    }
  }

  /** Suggests the capital of the chosen province as the city (e.g. Hubei 420000 → 420100), unless a city of it is entered. */
  function suggestCity() {
    const province = value('origin.provinceCode');
    const city = form.elements['origin.cityCode'];
    if (province && !city.value.startsWith(province.slice(0, 2))) city.value = `${province.slice(0, 2)}0100`;
  }

  /**
   * A residents' committee code holds its subdistrict's (9 digits) and district's (6): typed or
   * brought by the committee's own QR code (`&committee=`), it fills those two, which stay editable.
   */
  function fillFromCommittee() {
    const committee = value('destination.committeeCode');
    if (/^31\d{10}$/.test(committee)) form.elements['destination.subdistrictCode'].value = committee.slice(0, 9);
    fillFromSubdistrict();
  }

  function fillFromSubdistrict() {
    const subdistrict = value('destination.subdistrictCode');
    const district = form.elements['destination.districtCode'];
    if (/^31\d{7}$/.test(subdistrict) && district.querySelector(`option[value="${subdistrict.slice(0, 6)}"]`)) district.value = subdistrict.slice(0, 6);
    showPicks();
  }

  // The lists by name, where the district registered its committees: a pick fills the codes, the codes select the pick.
  const lists = new Map();
  let shown = 0;

  /** A list of the service's, fetched once per page; none (an empty list) when the service cannot answer. */
  function list(path) {
    if (!lists.has(path)) {
      lists.set(
        path,
        fetch(path, { headers: { Accept: 'application/json' } })
          .then((res) => {
            if (!res.ok) throw new Error(`HTTP ${res.status}`);
            return res.json();
          })
          .catch(() => {
            lists.delete(path); // asked again at the next change
            return [];
          }),
      );
    }
    return lists.get(path);
  }

  function fillPick(id, entries, code, selected) {
    const select = $(id);
    select.textContent = '';
    select.appendChild(new Option('Choose · 请选择', ''));
    for (const e of entries) select.appendChild(new Option(e.name, e[code]));
    select.value = entries.some((e) => e[code] === selected) ? selected : '';
    $(`${id}-field`).hidden = entries.length === 0;
  }

  /** Shows the district's subdistricts and the subdistrict's committees by name, as far as they are registered. */
  async function showPicks() {
    const turn = ++shown; // a later change wins over an answer still on its way
    const district = value('destination.districtCode');
    const subdistrict = value('destination.subdistrictCode');
    const subdistricts = district ? await list(`/districts/${district}/subdistricts`) : [];
    if (turn !== shown) return;
    fillPick('subdistrict-pick', subdistricts, 'subdistrictCode', subdistrict);
    const known = subdistricts.some((s) => s.subdistrictCode === subdistrict);
    const committees = known ? await list(`/subdistricts/${subdistrict}/committees`) : [];
    if (turn !== shown) return;
    fillPick('committee-pick', committees, 'committeeCode', value('destination.committeeCode'));
  }

  /** Another district chosen: codes of the one before are cleared, not left to be refused. */
  function pickDistrict() {
    const district = value('destination.districtCode');
    for (const name of ['destination.subdistrictCode', 'destination.committeeCode']) {
      if (!form.elements[name].value.startsWith(district)) form.elements[name].value = '';
    }
    showPicks();
  }

  function pickSubdistrict() {
    const code = $('subdistrict-pick').value;
    form.elements['destination.subdistrictCode'].value = code;
    const committee = form.elements['destination.committeeCode'];
    if (!code || !committee.value.startsWith(code)) committee.value = '';
    showPicks();
  }

  function pickCommittee() {
    form.elements['destination.committeeCode'].value = $('committee-pick').value;
  }

  function prefillCommittee() {
    const committee = (new URLSearchParams(location.search).get('committee') || '').trim();
    if (!/^31\d{10}$/.test(committee)) return showPicks();
    form.elements['destination.committeeCode'].value = committee;
    fillFromCommittee();
  }

  function another() {
    form.reset();
    prefillCommittee();
    form.elements['trip.date'].value = cityToday();
    $('answer').hidden = true;
    form.hidden = false;
    window.scrollTo(0, 0);
  }

  async function showCheckpoint() {
    $('checkpoint-name').textContent = checkpointId;
    try {
      const res = await fetch('/checkpoints', { headers: { Accept: 'application/json' } });
      const found = res.ok ? (await res.json()).find((c) => c.checkpointId === checkpointId) : undefined;
      if (found) $('checkpoint-name').textContent = found.name;
    } catch {
      // The name is a courtesy: the form works without it, and the service checks the checkpoint.
    }
  }

  function start() {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/.test(checkpointId)) {
      $('checkpoint').hidden = true;
      $('no-checkpoint').hidden = false;
      return;
    }
    form.hidden = false;
    form.elements['trip.date'].value = cityToday();
    form.addEventListener('submit', submit);
    form.elements['origin.provinceCode'].addEventListener('change', suggestCity);
    form.elements['destination.committeeCode'].addEventListener('input', fillFromCommittee);
    form.elements['destination.subdistrictCode'].addEventListener('input', fillFromSubdistrict);
    form.elements['destination.districtCode'].addEventListener('change', pickDistrict);
    $('subdistrict-pick').addEventListener('change', pickSubdistrict);
    $('committee-pick').addEventListener('change', pickCommittee);
    prefillCommittee();
    $('another').addEventListener('click', another);
    showCheckpoint();
  }

  start();
})();

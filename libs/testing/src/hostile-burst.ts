/**
 * A burst of hostile requests against a service's command routes, and the
 * check every answer must pass (ARCHITECTURE.md decision 10): a 4xx that names
 * its reason (a stable `error` code; the fields of a 400 `invalid`, the rule of
 * a 409 `rule_violation`), never a 2xx and never a 5xx. The caller counts the
 * events of its store before and after (nothing may be appended) and asks the
 * service whether it is still well. No HTTP client here: each case sends itself
 * (supertest's requests are thenables), so any service spec can use it.
 */

/** An HTTP answer: what supertest's response (or a fetch wrapped to parse JSON) holds. */
export interface HttpAnswerLike {
  readonly status: number;
  readonly body: unknown;
}

/** One hostile request and, where known, the precise refusal it must get. */
export interface HostileCase {
  /** What is sent, as a failure names it: e.g. `POST /registrations: identity.documentNumber = 12345`. */
  readonly label: string;
  readonly send: () => PromiseLike<HttpAnswerLike>;
  /** The status the answer must have (any 4xx when left out). */
  readonly status?: number;
  /** A field a 400 `invalid` must name among its `fields`: this one or one under it (`identity` matches `identity.name`). */
  readonly field?: string;
  /** The rule the 409 must name. */
  readonly rule?: string;
  /** The `error` code the answer must carry. */
  readonly error?: string;
  /**
   * A batch answered item by item (200, each item with its own status and error body): the items of
   * the answer, each held to be a 4xx naming its reason (the case's status, field and rule apply to
   * the answer when it is not a 200).
   */
  readonly items?: (body: unknown) => readonly { readonly status: number; readonly error?: unknown }[];
}

export interface BurstReport {
  readonly sent: number;
  /** How many answers had each status. */
  readonly statuses: Readonly<Record<number, number>>;
  /** Every answer that broke the rule, with its case's label; empty when the service held. */
  readonly problems: readonly string[];
}

/** Fires the cases `concurrency` at a time (20 by default) and checks every answer. */
export async function fireHostileBurst(cases: readonly HostileCase[], options: { readonly concurrency?: number } = {}): Promise<BurstReport> {
  const concurrency = options.concurrency ?? 20;
  const statuses: Record<number, number> = {};
  const problems: string[] = [];
  for (let i = 0; i < cases.length; i += concurrency) {
    await Promise.all(
      cases.slice(i, i + concurrency).map(async (c) => {
        let answer: HttpAnswerLike;
        try {
          answer = await c.send();
        } catch (error) {
          // A dropped connection is as bad as a 500: the client never learns why.
          problems.push(`${c.label}: no answer (${error instanceof Error ? error.message : String(error)})`);
          return;
        }
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (c.items && answer.status === 200) {
          c.items(answer.body).forEach((item, n) => {
            // An item's fields are named within the item: only the rule of a proper refusal applies.
            const problem = refusalProblem({ status: item.status, body: item.error });
            if (problem) problems.push(`${c.label} [item ${n}]: ${problem}`);
          });
          return;
        }
        const problem = refusalProblem(answer, c);
        if (problem) problems.push(`${c.label}: ${problem}`);
      }),
    );
  }
  return { sent: cases.length, statuses, problems };
}

/** Why an answer is not a proper refusal of the case, or undefined when it is. */
export function refusalProblem(answer: HttpAnswerLike, expected: Pick<HostileCase, 'status' | 'field' | 'rule' | 'error'> = {}): string | undefined {
  const { status } = answer;
  const body = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as Record<string, unknown>;
  const seen = `${status} ${JSON.stringify(answer.body)?.slice(0, 300)}`;
  if (status < 400 || status >= 500) return `answered ${seen}`;
  if (expected.status !== undefined && status !== expected.status) return `expected ${expected.status}, answered ${seen}`;
  if (typeof body.error !== 'string' || body.error === '') return `no error code in ${seen}`;
  if (expected.error !== undefined && body.error !== expected.error) return `expected error ${expected.error}, answered ${seen}`;
  const fields = typeof body.fields === 'object' && body.fields !== null ? Object.keys(body.fields) : [];
  if (body.error === 'invalid' && fields.length === 0) return `a 400 invalid naming no field: ${seen}`;
  if (body.error === 'rule_violation' && (typeof body.rule !== 'string' || body.rule === '')) return `a 409 naming no rule: ${seen}`;
  const field = expected.field;
  if (field !== undefined && body.error === 'invalid' && !fields.some((f) => f === field || f.startsWith(`${field}.`))) {
    return `expected field ${field} named, answered ${seen}`;
  }
  if (expected.rule !== undefined && body.rule !== expected.rule) return `expected rule ${expected.rule}, answered ${seen}`;
  return undefined;
}

/** Strings that have broken parsers, queries, templates and loggers; in an id or a code they must be refused, never obeyed. */
export const INJECTION_STRINGS: readonly string[] = [
  "'; DROP TABLE events; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '../../../../etc/passwd',
  '\u0000\u0001\u0002',
  '🙂'.repeat(50),
  '__proto__',
  'constructor[prototype][polluted]',
];

/** Bodies that are not a JSON object a command could be: broken, of another type, with prototype keys, too deep. */
export function malformedJsonBodies(levels = 3500): string[] {
  return [
    '{',
    '[]',
    'null',
    '"text"',
    '42',
    '{"id":',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '1e999',
    '\u0000',
    '{"a":'.repeat(levels) + '1' + '}'.repeat(levels),
    '['.repeat(levels) + ']'.repeat(levels),
  ];
}

/** A path to a value inside a body, e.g. `['declaration', 'keyAreaStays', 0]`. */
export type BodyPath = readonly (string | number)[];

/** A body sent as JSON text, and what was done to it. */
export interface HostileBody {
  readonly change: string;
  readonly text: string;
  /** The top-level field a 400 `invalid` should name, when the change is to one field. */
  readonly field?: string;
}

const HUGE_TEXT = 'x'.repeat(20_000);

/**
 * Hostile variants of a valid command body, so that no field of any route goes
 * untried: every value replaced by values of the other JSON types, every string
 * by 20,000 characters, an unknown field in every object, prototype keys, the
 * whole body too deep or over the size limit. Each variant must be refused.
 * Values that are wrong only in their content (a check character, a day) are
 * the service's own cases, beside these.
 */
export function hostileVariantsOf(valid: Record<string, unknown>): HostileBody[] {
  const out: HostileBody[] = [];
  const text = JSON.stringify(valid);
  for (const { path, value } of leavesOf(valid)) {
    const name = path.join('.');
    for (const replacement of wrongValuesFor(value)) {
      const label =
        typeof replacement === 'string' && replacement.length > 40
          ? `"${replacement.slice(0, 8)}…" (${replacement.length} chars)`
          : JSON.stringify(replacement);
      out.push({ change: `${name} = ${label}`, text: JSON.stringify(setAt(valid, path, replacement)), field: String(path[0]) });
    }
  }
  for (const path of objectPathsOf(valid)) {
    const name = path.length === 0 ? '(body)' : path.join('.');
    out.push({
      change: `unknown field in ${name}`,
      text: JSON.stringify(setAt(valid, [...path, 'unexpectedField'], 1)),
      field: String(path[0] ?? 'unexpectedField'),
    });
  }
  const rest = text.slice(1);
  const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
  out.push(
    { change: '__proto__ beside the fields', text: `{"__proto__":{"isAdmin":true},${rest}` },
    { change: 'constructor.prototype beside the fields', text: `{"constructor":{"prototype":{"isAdmin":true}},${rest}` },
    { change: 'a field 3,500 levels deep', text: `{"deep":${nested(3500)},${rest}` },
    { change: 'a field 40 levels deep', text: `{"deep":${nested(40)},${rest}` },
    { change: 'a body over 64 KB', text: `{"padding":"${'x'.repeat(70_000)}",${rest}` },
    { change: 'the body as an array', text: `[${text}]` },
    { change: 'the body twice', text: `${text}${text}` },
  );
  return out;
}

/** Values of another JSON type than `value` (null left out: an optional field may be null), and an oversized string. */
function wrongValuesFor(value: unknown): unknown[] {
  if (typeof value === 'string') return [12345, true, {}, [value], HUGE_TEXT];
  if (typeof value === 'number') return [String(value), true, {}, [value], -1, 1e300];
  if (typeof value === 'boolean') return [String(value), 1, {}, [value]];
  if (Array.isArray(value)) return ['x', 1, {}, [{ junk: true }], Array.from({ length: 1000 }, () => value[0] ?? 'x')];
  return ['x', 1, true, []];
}

function leavesOf(value: unknown, path: BodyPath = []): { path: BodyPath; value: unknown }[] {
  const here = path.length === 0 ? [] : [{ path, value }];
  if (Array.isArray(value)) return value.length === 0 ? here : [...here, ...leavesOf(value[0], [...path, 0])];
  if (typeof value === 'object' && value !== null) {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => leavesOf(v, [...path, k]))];
  }
  return here;
}

function objectPathsOf(value: unknown, path: BodyPath = []): BodyPath[] {
  if (Array.isArray(value)) return value.length === 0 ? [] : objectPathsOf(value[0], [...path, 0]);
  if (typeof value !== 'object' || value === null) return [];
  return [path, ...Object.entries(value).flatMap(([k, v]) => objectPathsOf(v, [...path, k]))];
}

/** A deep copy of `body` with the value at `path` replaced (arrays: the element at the index). */
function setAt(body: unknown, path: BodyPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...tail] = path;
  if (Array.isArray(body)) return body.map((v, i) => (i === head ? setAt(v, tail, replacement) : v));
  const object = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return { ...object, [head]: setAt(object[head as string], tail, replacement) };
}

/** A command route with a body, for `hostileCasesFor`. */
export interface CommandRoute {
  /** How failures name it, e.g. `POST /registrations`. */
  readonly route: string;
  /** A body the route would accept: the variants are made from it. */
  readonly valid: Record<string, unknown>;
  /** Sends JSON text (as `application/json`, with whatever token the route needs). */
  readonly send: (jsonText: string) => PromiseLike<HttpAnswerLike>;
  /** For a batch answered item by item: see `HostileCase.items`. */
  readonly items?: HostileCase['items'];
}

/** The hostile variants of a route's valid body and the malformed bodies, as cases. */
export function hostileCasesFor(route: CommandRoute): HostileCase[] {
  return [
    ...hostileVariantsOf(route.valid).map((v): HostileCase => ({
      label: `${route.route}: ${v.change}`,
      send: () => route.send(v.text),
      items: route.items,
      ...(v.field ? { field: v.field } : {}),
    })),
    ...malformedJsonBodies().map((text): HostileCase => ({ label: `${route.route}: body ${JSON.stringify(text.slice(0, 24))}`, send: () => route.send(text) })),
  ];
}

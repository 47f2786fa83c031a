/**
 * Every JSON Schema under contracts/topics compiles, documents itself with examples
 * that validate, and rejects broken copies of those examples.
 */
import { allSchemaFiles, ajvWithAllSchemas, at, clone, contractFiles, examplesOf, isPlainObject, objectPaths } from './contract-test-support';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
const ID_BASE = 'https://schemas.city-ops.example/';
const eventFiles = contractFiles.topics.flatMap((t) => t.events);
const ajv = ajvWithAllSchemas();

describe.each(allSchemaFiles.map((f) => [f.path.slice(f.path.indexOf('topics/')), f] as const))('%s', (_name, file) => {
  it('is a draft 2020-12 schema with a $id of ours, and compiles', () => {
    expect(file.schema.$schema).toBe(DRAFT_2020_12);
    expect(file.schema.$id.startsWith(ID_BASE)).toBe(true);
    expect(() => ajv.getSchema(file.schema.$id)).not.toThrow();
    expect(ajv.getSchema(file.schema.$id)).toBeDefined();
  });

  it('closes every object it defines (additionalProperties: false)', () => {
    const open = objectPaths(file.schema)
      .map((path) => ({ path, node: at(file.schema, path) as Record<string, unknown> }))
      .filter(({ path, node }) => node.type === 'object' && path[path.length - 1] !== 'properties' && node.additionalProperties !== false);
    expect(open.map(({ path }) => path.join('/'))).toEqual([]);
  });

  it('resolves its relative $refs to files that exist (by path, as AsyncAPI tools do)', () => {
    const refs = objectPaths(file.schema)
      .map((path) => at(file.schema, path) as Record<string, unknown>)
      .map((node) => node.$ref)
      .filter((ref): ref is string => typeof ref === 'string' && !ref.startsWith('#'));
    const byPath = new Set(allSchemaFiles.map((f) => f.path));
    const base = new URL(`file://${file.path}`);
    for (const ref of refs) {
      expect(byPath.has(new URL(ref, base).pathname)).toBe(true);
      // …and by $id, as ajv does: both must name the same file.
      const target = allSchemaFiles.find((f) => f.path === new URL(ref, base).pathname);
      expect(new URL(ref, file.schema.$id).href.replace(/#.*$/, '')).toBe(target?.schema.$id);
    }
  });
});

describe.each(eventFiles.map((f) => [`${f.type} v${f.schemaVersion}`, f] as const))('event schema %s', (_name, file) => {
  const validate = () => {
    const v = ajv.getSchema(file.schema.$id);
    if (!v) throw new Error(`no validator for ${file.schema.$id}`);
    return v;
  };
  const examples = examplesOf(file);

  it('has at least one example, and every example validates', () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const v = validate();
      expect({ valid: v(example), errors: v.errors }).toEqual({ valid: true, errors: null });
    }
  });

  it('rejects an example that misses any required field', () => {
    const required = file.schema.required as string[];
    expect(required.length).toBeGreaterThan(0);
    for (const example of examples) {
      for (const field of required) {
        const broken = clone(example) as Record<string, unknown>;
        delete broken[field];
        expect(validate()(broken)).toBe(false);
        expect(validate().errors).toContainEqual(expect.objectContaining({ keyword: 'required', params: { missingProperty: field } }));
      }
    }
  });

  it('rejects an example with an extra field at any depth', () => {
    for (const example of examples) {
      for (const path of objectPaths(example)) {
        const broken = clone(example);
        const target = at(broken, path);
        if (!isPlainObject(target)) throw new Error('objectPaths returned a non-object');
        target.unexpectedField = 'x';
        expect(validate()(broken)).toBe(false);
        expect(validate().errors).toContainEqual(
          expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'unexpectedField' } }),
        );
      }
    }
  });

  it('rejects an unknown district, a negative count and a timestamp without offset', () => {
    const example = examples[0] as Record<string, unknown>;
    expect(validate()({ ...example, districtCode: '310108' })).toBe(false); // Zhabei: merged into Jing'an in 2015
    const timestampField = Object.keys(example).find((k) => k.endsWith('At'));
    expect(timestampField).toBeDefined();
    expect(validate()({ ...example, [timestampField as string]: '2020-02-12T09:00:00' })).toBe(false);
    const countPath = objectPaths(example)
      .flatMap((path) => Object.entries(at(example, path) as Record<string, unknown>).map(([k, v]) => ({ path: [...path, k], v })))
      .find(({ v }) => typeof v === 'number');
    if (countPath) {
      const broken = clone(example);
      const parent = at(broken, countPath.path.slice(0, -1)) as Record<string, unknown>;
      parent[countPath.path[countPath.path.length - 1] as string] = -1;
      expect(validate()(broken)).toBe(false);
      parent[countPath.path[countPath.path.length - 1] as string] = 1.5;
      expect(validate()(broken)).toBe(false);
    }
  });
});

describe('key schemas', () => {
  it.each(contractFiles.topics.map((t) => [t.topic, t] as const))("%s: examples validate, other contexts' stream ids do not", (_topic, topic) => {
    const v = ajv.getSchema(topic.key.schema.$id);
    expect(v).toBeDefined();
    const examples = examplesOf(topic.key);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(v?.(example)).toBe(true);
    // A stream id of another context (one no topic folder is named after, so the check holds for every topic).
    expect(v?.('another-context.person-1')).toBe(false);
    expect(v?.('')).toBe(false);
  });
});

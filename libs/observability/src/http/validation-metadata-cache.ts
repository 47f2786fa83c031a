import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Lookup = MetadataStorage['getTargetValidationMetadatas'];
type ValidationMetadata = ReturnType<Lookup>[number];

const CACHED = Symbol.for('city:validation-metadata-cache');

/**
 * class-validator looks up a class's validation rules on every `validate()` of every
 * (nested) object by scanning the rules of EVERY decorated class of the process for
 * parents of it (`getTargetValidationMetadatas`): with a service's hundred DTOs, that
 * scan was most of the validation pipe's CPU per request. The rules of a class do not
 * change once its decorators have run, so the answer is kept per class and options,
 * and forgotten whenever a rule is added (a class defined later, a schema registered).
 * Idempotent; the storage is class-validator's global one, shared by every app of the process.
 */
export function cacheValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const patched = storage as MetadataStorage & { [CACHED]?: true };
  if (patched[CACHED]) return;
  patched[CACHED] = true;
  // Weak: classes made at run time (tests, schemas) are not kept alive by it.
  let cache = new WeakMap<object, Map<string, ValidationMetadata[]>>();
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    if (typeof targetConstructor !== 'function') return lookup(targetConstructor, targetSchema, always, strictGroups, groups);
    // Absent and empty groups select the same rules (class-validator tests `groups && groups.length`).
    const key = `${targetSchema ?? ''}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let byOptions = cache.get(targetConstructor);
    if (!byOptions) cache.set(targetConstructor, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(targetConstructor, targetSchema, always, strictGroups, groups)));
    return found;
  };
  const forgetting =
    <A extends unknown[]>(add: (...args: A) => void) =>
    (...args: A): void => {
      cache = new WeakMap();
      add(...args);
    };
  storage.addValidationMetadata = forgetting(storage.addValidationMetadata.bind(storage));
  storage.addConstraintMetadata = forgetting(storage.addConstraintMetadata.bind(storage));
  storage.addValidationSchema = forgetting(storage.addValidationSchema.bind(storage));
}

/**
 * How deeply objects and arrays nest in a JSON text, counted on the raw bytes
 * before anything parses or transforms it (brackets inside strings do not
 * count). A body nested thousands of levels deep is small enough to pass the
 * body limit, yet makes recursive code (class-transformer, validators) overflow
 * the stack: every service refuses it first (400 `too_deeply_nested`).
 * Framework-free, so any HTTP adapter can call it on the raw body.
 */
export function jsonDepthExceeds(raw: Uint8Array | string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  const text = typeof raw === 'string';
  for (let i = 0; i < raw.length; i++) {
    const c = text ? (raw as string).charCodeAt(i) : (raw as Uint8Array)[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c /* \ */) escaped = true;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

/** Deepest nesting a JSON body may have (a command body of the city nests 4 levels at most). */
export const DEFAULT_MAX_JSON_DEPTH = 32;

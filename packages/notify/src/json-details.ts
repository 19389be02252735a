import type { JsonObject, JsonValue } from './events.js';

/**
 * Makes caller-supplied details safe to serialise: an Error becomes its message (the stack stays in the caller's
 * logs), a Date its ISO text, a bigint its decimal text, a Buffer its length; undefined, functions and symbols are
 * dropped, non-finite numbers become null, a cycle becomes "[circular]". Nothing here can throw.
 */
export function toJsonObject(details: Record<string, unknown> | undefined): JsonObject {
  const result = details === undefined ? {} : toJsonValue(details, new WeakSet());
  if (result !== null && typeof result === 'object' && !Array.isArray(result)) return result;
  return result === undefined ? {} : { value: result };
}

function toJsonValue(value: unknown, seen: WeakSet<object>): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Error) return object.message;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : object.toISOString();
  if (Buffer.isBuffer(object)) return `<${object.length} bytes>`;
  if (seen.has(object)) return '[circular]';
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item) => toJsonValue(item, seen) ?? null);
    const result: JsonObject = {};
    for (const [key, item] of Object.entries(object)) {
      const converted = toJsonValue(item, seen);
      if (converted !== undefined) result[key] = converted;
    }
    return result;
  } finally {
    seen.delete(object);
  }
}

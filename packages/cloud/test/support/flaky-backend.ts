import type { StorageBackend } from '../../src/storage-backend.js';

type Operation = 'put' | 'get' | 'stat' | 'delete' | 'list';

/** A Node-style connection reset, as a socket reports it. */
export function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET (injected)'), { code: 'ECONNRESET' });
}

/**
 * Wraps a real backend so the first `failures` calls of the chosen operations fail with `makeError()` before they
 * reach it (a list fails after yielding `listItemsBeforeFailure` entries), then behaves normally. Counts calls.
 */
export function failFirstCalls(
  backend: StorageBackend,
  options: { operations: Operation[]; failures: number; makeError?: () => Error; listItemsBeforeFailure?: number },
): StorageBackend & { calls: Record<Operation, number> } {
  const calls: Record<Operation, number> = { put: 0, get: 0, stat: 0, delete: 0, list: 0 };
  const makeError = options.makeError ?? connectionReset;
  const shouldFail = (operation: Operation): boolean =>
    options.operations.includes(operation) && ++calls[operation] <= options.failures;

  return {
    calls,
    kind: backend.kind,
    description: backend.description,
    capabilities: backend.capabilities,
    async put(key, body, putOptions) {
      if (shouldFail('put')) {
        body.resume(); // consume the body like a real failed upload would
        throw makeError();
      }
      return backend.put(key, body, putOptions);
    },
    async get(key, range) {
      if (shouldFail('get')) throw makeError();
      return backend.get(key, range);
    },
    async stat(key) {
      if (shouldFail('stat')) throw makeError();
      return backend.stat(key);
    },
    async delete(key) {
      if (shouldFail('delete')) throw makeError();
      return backend.delete(key);
    },
    async *list(prefix) {
      const failing = shouldFail('list');
      let yielded = 0;
      for await (const info of backend.list(prefix)) {
        if (failing && yielded === (options.listItemsBeforeFailure ?? 0)) throw makeError();
        yielded++;
        yield info;
      }
      if (failing) throw makeError();
    },
    close: () => backend.close(),
  };
}

/**
 * matrix-js-sdk 43 declares `engines.node >= 22` and calls `Promise.withResolvers` (Node 22) when
 * leaving a session. The workspace runs Node 20, so the test process gets a spec-equivalent
 * polyfill before js-sdk runs.
 */
const promiseConstructor = Promise as unknown as { withResolvers?: unknown };
if (typeof promiseConstructor.withResolvers !== "function") {
  promiseConstructor.withResolvers = <T>() => {
    let resolve: (value: T | PromiseLike<T>) => void = () => undefined;
    let reject: (reason?: unknown) => void = () => undefined;
    const promise = new Promise<T>((resolvePromise, rejectPromise) => {
      resolve = resolvePromise;
      reject = rejectPromise;
    });
    return { promise, resolve, reject };
  };
}

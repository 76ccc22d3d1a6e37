/** The error `run` throws; fails the test when it returns instead, so an assertion on it cannot pass vacuously. */
export function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

/**
 * Runs `run` and returns the error it throws, checked to be of `type`, so a test can assert on its fields
 * (code, index, cause). Fails the test when nothing, or something else, is thrown.
 */
export function thrownBy<E extends Error>(run: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name} to be thrown`);
}

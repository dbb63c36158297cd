/**
 * The jest limit of a heavy test (a soak, a 10,000-record batch, a Java server), from the time it takes on this
 * 2-core machine unloaded: 20 times that, so that the same test on a loaded machine (`npm test` beside
 * `npm run bench` and other work) still finishes far inside it. The limit only stops a hang; no correctness test is
 * decided by it. Measured on 2026-11-29: the suite took 116 s unloaded and 840 s beside `npm run bench` at a load
 * average of 17-19, its heavy tests 4 to 8 times slower than unloaded (README "Tests on a busy machine").
 */
export function loadedMachineLimit(unloadedSeconds: number): number {
  return unloadedSeconds * 20 * 1000;
}

/**
 * The one way a test may be skipped: a Debian package it needs is not installed here (`.ci/run` installs it, so CI
 * always runs it). Prints one line naming the package and returns `describe.skip`; otherwise `describe`.
 */
export function describeIfInstalled(debianPackage: string, installed: boolean): jest.Describe {
  if (installed) return describe;
  // One line on stdout, outside jest's console capture, so it shows once per file in the run's output.
  process.stdout.write(`skipped: ${debianPackage} is not installed (apt-get install ${debianPackage})\n`);
  return describe.skip;
}

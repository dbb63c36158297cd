/** Powertools writes EMF and log lines to stdout: capture them instead of printing. */
export function captureStdout(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(chunk.toString());
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

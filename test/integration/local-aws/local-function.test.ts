import { join } from 'node:path';
import { LambdaInvocationError } from '../../../local-aws/lambda-runtime/errors';
import { LocalFunction } from '../../../local-aws/lambda-runtime/local-function';

const FIXTURE = join(__dirname, 'fixtures', 'fixture-handler.ts');

describe('LocalFunction', () => {
  const started: LocalFunction[] = [];
  const fn = (
    options: { environment?: Record<string, string>; timeoutMs?: number; onLog?: (line: string) => void } = {},
  ) => {
    const local = new LocalFunction({
      functionName: 'fixture',
      modulePath: FIXTURE,
      environment: options.environment ?? { GREETING: 'hello' },
      timeoutMs: options.timeoutMs ?? 5_000,
      ...(options.onLog ? { onLog: options.onLog } : {}),
    });
    started.push(local);
    return local;
  };

  afterAll(async () => {
    await Promise.all(started.map((local) => local.stop()));
  });

  it('loads the handler with its own environment only and passes a Lambda context', async () => {
    // Arrange
    process.env.FIXTURE_LEAK = 'from the test process';
    const local = fn();

    // Act
    const answer = await local.invoke({ action: 'echo' });

    // Assert
    expect(answer).toEqual({ greeting: 'hello', functionName: 'fixture', calls: 1, leaked: null });
    delete process.env.FIXTURE_LEAK;
  });

  it('keeps module state between invocations, like a warm environment', async () => {
    // Arrange
    const local = fn();
    await local.invoke({ action: 'echo' });

    // Act
    const second = await local.invoke<{ calls: number }>({ action: 'echo' });

    // Assert
    expect(second.calls).toBe(2);
    expect(local.coldStarts).toBe(1);
  });

  it("reports a thrown error with the handler's error type", async () => {
    // Act
    const invoke = fn().invoke({ action: 'throw' });

    // Assert
    await expect(invoke).rejects.toBeInstanceOf(LambdaInvocationError);
    await expect(invoke).rejects.toMatchObject({
      errorType: 'RangeError',
      message: expect.stringMatching(/asked to throw/),
    });
  });

  it('times an invocation out', async () => {
    // Act
    const invoke = fn({ timeoutMs: 300 }).invoke({ action: 'hang' });

    // Assert
    await expect(invoke).rejects.toMatchObject({ errorType: 'Sandbox.Timedout' });
  });

  it('starts a new environment after the runtime crashed', async () => {
    // Arrange
    const local = fn();
    await expect(local.invoke({ action: 'crash' })).rejects.toMatchObject({ errorType: 'Runtime.ExitError' });

    // Act
    const answer = await local.invoke<{ calls: number }>({ action: 'echo' });

    // Assert: module state is fresh, as after a cold start
    expect(answer.calls).toBe(1);
    expect(local.coldStarts).toBe(2);
  });

  it('totals the EMF metrics the handler prints and passes other lines to onLog', async () => {
    // Arrange
    const lines: string[] = [];
    const local = fn({ onLog: (line) => lines.push(line) });

    // Act
    await local.invoke({ action: 'count' });
    await local.stop(); // flushes the worker's output

    // Assert
    expect(local.metrics).toEqual({ Things: 5 });
    expect(lines).toContain('a plain log line');
  });

  it('fails to start when the module does not export the handler', async () => {
    // Arrange
    const local = new LocalFunction({
      functionName: 'broken',
      modulePath: FIXTURE,
      exportName: 'nothing',
      environment: {},
    });
    started.push(local);

    // Act / Assert
    await expect(local.start()).rejects.toThrow(/does not export a function named "nothing"/);
  });
});

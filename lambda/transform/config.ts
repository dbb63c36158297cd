import { ConfigurationError } from '../shared/errors';

/** The transform's settings, read once per cold start from its environment (names in docs/CONTRACTS.md). */
export interface TransformConfig {
  /** First year of the `ctr` table's partition projection (`ctrLake:projectionStartYear`); the last is the current one. */
  readonly projectionStartYear: number;
}

/** Validates the environment; throws ConfigurationError naming the variable, since no record can be judged without it. */
export function readTransformConfig(env: Readonly<Record<string, string | undefined>>): TransformConfig {
  const text = env.PROJECTION_START_YEAR?.trim() ?? '';
  if (!/^\d{4}$/.test(text)) {
    throw new ConfigurationError(
      `invalid transform configuration: PROJECTION_START_YEAR must be a four-digit year, received "${text}"`,
    );
  }
  return { projectionStartYear: Number(text) };
}

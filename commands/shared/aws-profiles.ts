import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { nearestName } from './command-args';
import { DeploymentLookupError } from './stack-outputs';

/** A `--profile` that no shared AWS file defines. */
export class ProfileNotFoundError extends DeploymentLookupError {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileNotFoundError';
  }
}

/**
 * The shared AWS files where the SDK and the CLI look for profiles: `AWS_CONFIG_FILE` (default ~/.aws/config, whose
 * sections are `[profile NAME]`, or `[default]`) and `AWS_SHARED_CREDENTIALS_FILE` (default ~/.aws/credentials,
 * whose sections are `[NAME]`).
 */
export function sharedAwsFiles(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = env.HOME || env.USERPROFILE || homedir();
  const expand = (path: string): string => (path.startsWith('~/') ? join(home, path.slice(2)) : path);
  return {
    config: expand(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}

/** The profile names one shared file defines (an absent file defines none). */
export function profilesIn(file: string, kind: 'config' | 'credentials'): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
  const names = new Set<string>();
  for (const match of text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)) {
    const section = match[1]!;
    if (kind === 'credentials') names.add(section);
    else if (section === 'default') names.add('default');
    else {
      const profile = /^profile\s+(.+)$/.exec(section);
      if (profile) names.add(profile[1]!);
    }
  }
  return names;
}

/** Throws ProfileNotFoundError, naming both files and the profiles they define, unless one of them has `profile`. */
export function checkProfileExists(profile: string, env: NodeJS.ProcessEnv = process.env): void {
  const files = sharedAwsFiles(env);
  const known = new Set([...profilesIn(files.config, 'config'), ...profilesIn(files.credentials, 'credentials')]);
  if (known.has(profile)) return;
  const names = [...known].sort();
  const guess = nearestName(profile, names);
  const listed = names.length > 0 ? `profiles there: ${names.join(', ')}` : 'no profile is defined there';
  throw new ProfileNotFoundError(
    `AWS profile "${profile}" not found in ${files.config} or ${files.credentials} (${listed})` +
      (guess
        ? `: did you mean ${guess}?`
        : `: check the name, or create it with \`aws configure --profile ${profile}\``),
  );
}

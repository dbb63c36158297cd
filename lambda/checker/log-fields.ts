import type { DecodedCtr } from './decode-record';

/** The identifying fields of a CTR's log lines: never its content (it holds phone numbers). */
export function describeCtr(record: DecodedCtr): { contactId: string; fingerprint: string; sequenceNumber: string } {
  return { contactId: record.contactId, fingerprint: record.fingerprint, sequenceNumber: record.record.sequenceNumber };
}

/** `Name: message`, with the cause's when there is one (a DedupStoreError says which SDK error it wraps). */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

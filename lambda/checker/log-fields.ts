import type { DecodedCtr } from './decode-record';

/** The identifying fields of a CTR's log lines: never its content (it holds phone numbers). */
export function describeCtr(record: DecodedCtr): { contactId: string; fingerprint: string; sequenceNumber: string } {
  return { contactId: record.contactId, fingerprint: record.fingerprint, sequenceNumber: record.record.sequenceNumber };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

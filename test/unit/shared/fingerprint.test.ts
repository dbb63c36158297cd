import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';

const SEED = join(__dirname, '..', '..', '..', '..', 'shared', 'seed', 'duplicated_samples.json');

describe('contentFingerprint', () => {
  it('reproduces the published fingerprints of the shared seed sample', () => {
    // Arrange
    const records = JSON.parse(readFileSync(SEED, 'utf8')) as unknown[];

    // Act
    const fingerprints = records.map(contentFingerprint);

    // Assert
    expect(fingerprints).toEqual([
      'ef7d9f7e4b26f827d2e526c4797852d978e6e9e2ccfdcaf162e9126a4eaca6a7',
      'ef7d9f7e4b26f827d2e526c4797852d978e6e9e2ccfdcaf162e9126a4eaca6a7',
      '886176cd231d8c6a7ef5520cb60eace2d9826cb6a98031cee5fbdf8683334e58',
      '886176cd231d8c6a7ef5520cb60eace2d9826cb6a98031cee5fbdf8683334e58',
      'eaa1aa065a550dd3df0c912b1e9180100d7fa5dc9ffb378253721c68d4234b1d',
      'eaa1aa065a550dd3df0c912b1e9180100d7fa5dc9ffb378253721c68d4234b1d',
    ]);
  });

  it('ignores key order and whitespace', () => {
    // Arrange
    const a = JSON.parse('{"ContactId":"c-1","Attributes":{"b":"2","a":"1"}}') as unknown;
    const b = JSON.parse('{ "Attributes": { "a": "1", "b": "2" },\n "ContactId": "c-1" }') as unknown;

    // Act / Assert
    expect(contentFingerprint(a)).toBe(contentFingerprint(b));
  });
});

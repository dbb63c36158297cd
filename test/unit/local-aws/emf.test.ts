import { addTotals, parseEmfLine } from '../../../local-aws/lambda-runtime/emf';

const emf = (values: Record<string, unknown>, names: string[]) =>
  JSON.stringify({
    _aws: {
      Timestamp: 1,
      CloudWatchMetrics: [
        { Namespace: 'CtrLake', Dimensions: [['service']], Metrics: names.map((Name) => ({ Name, Unit: 'Count' })) },
      ],
    },
    service: 'checker',
    ...values,
  });

describe('parseEmfLine', () => {
  it('reads the metric values of an EMF document, summing arrays', () => {
    // Act
    const totals = parseEmfLine(emf({ Delivered: 3, InBatchDuplicates: [2, 1] }, ['Delivered', 'InBatchDuplicates']));

    // Assert
    expect(totals).toEqual({ Delivered: 3, InBatchDuplicates: 3 });
  });

  it.each([
    ['a plain log line', 'records sent'],
    ['a JSON log line', JSON.stringify({ level: 'INFO', message: 'hello' })],
    ['broken JSON that mentions _aws', '{"_aws": '],
  ])('ignores %s', (_label, line) => {
    // Act / Assert
    expect(parseEmfLine(line)).toBeUndefined();
  });
});

describe('addTotals', () => {
  it('adds metric totals by name', () => {
    // Arrange
    const totals = { Sent: 2 };

    // Act
    addTotals(totals, { Sent: 3, FailedRecords: 1 });

    // Assert
    expect(totals).toEqual({ Sent: 5, FailedRecords: 1 });
  });
});

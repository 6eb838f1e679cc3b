import { checkTypedNumbers } from '../../../src/domain/intake/typed-numbers';
import { ValidationError } from '../../../src/domain/shared/domain-error';

function problemsOf(numbers: Record<string, string | null | undefined>): { field: string; message: string }[] {
  try {
    checkTypedNumbers(numbers);
    return [];
  } catch (err) {
    if (err instanceof ValidationError) return err.problems;
    throw err;
  }
}

describe('checkTypedNumbers (phone and fax numbers a clerk typed)', () => {
  it.each(['0812-3456-7890', '0812 3456 7890', '+62 812 3456 7890', '6281234567890', '(0561) 736541', '+44 20 7946 0958'])('accepts %s', (n) => {
    expect(problemsOf({ callerNumber: n, faxNumber: n })).toEqual([]);
  });

  it('accepts nothing typed', () => {
    expect(problemsOf({ callerNumber: null, faxNumber: undefined })).toEqual([]);
    expect(problemsOf({ callerNumber: '   ' })).toEqual([]);
  });

  it.each(['halo halo', '0812-ABCD-7890', 'anonymous', '12345', '+0812345678', '0812'])('refuses %s, naming the field, not the value', (n) => {
    const problems = problemsOf({ callerNumber: n });
    expect(problems).toEqual([{ field: 'callerNumber', message: 'is not a valid phone number' }]);
    expect(JSON.stringify(problems)).not.toContain(n);
  });

  it('names a fax number as such', () => {
    expect(problemsOf({ faxNumber: '0812-ABCD-7890' })).toEqual([{ field: 'faxNumber', message: 'is not a valid fax number' }]);
  });
});

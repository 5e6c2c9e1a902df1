import { describe, expect, it } from 'vitest';
import { clauseLines } from './clauses';

describe('clauseLines', () => {
  it('separates affirmed clauses from those not affirmed', () => {
    const lines = clauseLines({ noReexportRussiaBelarus: true, acknowledgesLicenceRequirement: false, flowsDownObligation: false });
    expect(lines.affirmed).toEqual(['No export, re-export or transfer to Russia or Belarus']);
    expect(lines.notAffirmed).toHaveLength(2);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isObjectType, printSchema } from 'graphql';
import { buildLoketSchema } from '../../src/schema/build-schema';

/** schema.graphql is committed so that API changes show in review; it must match the code. */
describe('schema.graphql', () => {
  it('is up to date (run `npm run schema` after changing the API)', async () => {
    const committed = readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8');
    const body = committed.replace(/^#.*\n/gm, '').trim();
    expect(body).toBe(printSchema(await buildLoketSchema()).trim());
  });

  it('keeps the contract other tools are written against', async () => {
    const sdl = printSchema(await buildLoketSchema());
    for (const line of [
      'logPhoneCall(input: LogPhoneCallInput!): Case!',
      'logFax(input: LogFaxInput!): Case!',
      'logWalkIn(input: LogWalkInInput!): Case!',
      'registerComplaintBoxEntry(input: ComplaintBoxEntryInput!): Case!',
      'scalar DateTime',
    ]) {
      expect(sdl).toContain(line);
    }
    expect(sdl).toMatch(/classifyComplaint\((?=[^)]*caseId: ID!)(?=[^)]*complaintClass: ComplaintClass!)[^)]*\): Case!/);
    expect(sdl).toMatch(/case\((?=[^)]*id: ID)(?=[^)]*reference: String)[^)]*\): Case\n/);
    expect(sdl).toMatch(/cases\((?=[^)]*filter: CaseFilter)(?=[^)]*first: Int)(?=[^)]*after: String)[^)]*\): CaseConnection!/);
    expect(sdl).toMatch(/caseCreated\(filter: CaseStreamFilter\): Case!/);
    expect(sdl).toMatch(/caseEvents\((?=[^)]*caseId: ID)(?=[^)]*after: String)[^)]*\): TimelineEvent!/);
  });

  it('gives every page-size argument its default and its field the largest page (what the cost limit prices first at)', async () => {
    const schema = await buildLoketSchema();
    const paged: string[] = [];
    const unpriced: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) {
          if (arg.name !== 'first' && arg.name !== 'last') continue;
          paged.push(`${type.name}.${field.name}`);
          if (typeof arg.defaultValue !== 'number' || typeof field.extensions.maxPageSize !== 'number') unpriced.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(paged).toContain('Query.cases');
    expect(paged).toContain('Case.timeline');
    expect(unpriced).toEqual([]);
  });
});

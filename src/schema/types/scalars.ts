import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';

/** ISO 8601 date-time with offset (graphql-scalars' DateTime). */
export const DateTimeScalar = DateTimeResolver;
export const JSONObjectScalar = JSONObjectResolver;

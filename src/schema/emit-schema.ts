import path from 'node:path';
import { buildLoketSchema } from './build-schema';

/** Writes schema.graphql at the project root, so API changes show in review. */
buildLoketSchema(path.resolve(__dirname, '../../../schema.graphql')).then(
  () => process.stdout.write('schema.graphql written\n'),
  (err: Error) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);

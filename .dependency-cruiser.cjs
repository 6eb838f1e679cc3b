/** Dependencies point inward: the domain imports no framework, no adapter, no schema. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-framework-free',
      severity: 'error',
      comment: 'src/domain must not import typeorm, pg, graphql, type-graphql, nodemailer, imap, express or any other library',
      from: { path: '^src/domain' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'unknown', 'undetermined'] },
    },
    {
      name: 'domain-does-not-import-outer-layers',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { path: '^src/(adapters|schema|app|main|config|logger|cli)' },
    },
    {
      name: 'adapters-do-not-import-schema',
      severity: 'error',
      from: { path: '^src/adapters' },
      to: { path: '^src/schema' },
    },
    {
      name: 'adapters-stay-in-their-folder',
      severity: 'error',
      comment: 'an adapter does not reach into another adapter; the composition root (src/app.ts) wires them',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};

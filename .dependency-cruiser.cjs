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
      name: 'domain-does-no-io',
      severity: 'error',
      comment: 'src/domain computes; files, sockets, processes and timers-as-I/O belong to adapters (node:crypto for hashes and ids is allowed)',
      from: { path: '^src/domain' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'adapters-do-not-import-the-root',
      severity: 'error',
      comment: 'adapters get their settings and collaborators handed in; they never read src/config.ts or the composition root',
      from: { path: '^src/adapters' },
      to: { path: '^src/(config|app|main|cli|logger)\\.ts$|^src/(composition|server)/' },
    },
    {
      name: 'adapters-see-only-the-module-contract',
      severity: 'error',
      comment: 'a channel module implements src/modules/channel-module.ts; the module list is the root\'s',
      from: { path: '^src/adapters' },
      to: { path: '^src/modules/', pathNot: '^src/modules/channel-module\\.ts$' },
    },
    {
      name: 'module-contract-is-plain',
      severity: 'error',
      comment: 'the module contract names domain ports only, never an adapter',
      from: { path: '^src/modules/channel-module\\.ts$' },
      to: { path: '^src/(adapters|schema|composition|server)/' },
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

// The layers and their one direction (see README, Architecture). Run by `npm test` through
// test/architecture/dependency-rules.test.ts, and by hand with `npx depcruise server web/src shared`.
//
//   routes/, plugins/, app.ts (HTTP)  ─┐
//   cli/ (command line)               ─┼─►  rendering/ (HTML, PDF, Word)  ─►  domain/, ingest/, tiles/, …  ─►  db/
//   reference/ (bundled sample data)  ─┘                                          │
//   web/src (browser)  ─────────────────────────────────►  shared/  ◄─────────────┘
const DOMAIN = '^server/(domain|ingest|tiles|formats|generate)/';
const HTTP = '^server/(routes|plugins)/|^server/(app|main|web-build)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-knows-no-http',
      comment: 'The domain (rules, SQL, pure functions) throws domain/problems.ts errors and takes a Principal; HTTP is the edge\'s business.',
      severity: 'error',
      from: { path: `${DOMAIN}|^server/(rendering|db)/` },
      to: { path: `${HTTP}|(^|/)node_modules/(fastify|@fastify/|fastify-)` },
    },
    {
      name: 'domain-below-rendering-and-seeding',
      comment: 'Rendering, the bundled sample data and the command line build on the domain, never the other way round.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^server/(rendering|reference|cli)/|^server/startup\\.ts$' },
    },
    {
      name: 'db-is-the-bottom',
      comment: 'db/ opens connections, migrates and runs queries; it knows nothing of what the rows mean.',
      severity: 'error',
      from: { path: '^server/db/' },
      to: { path: '^server/', pathNot: '^server/(db/|config\\.ts$)' },
    },
    {
      name: 'no-cycles',
      comment: 'A cycle makes two modules one; split the shared part out.',
      severity: 'error',
      from: { path: '^(server|web/src|shared)/' },
      to: { circular: true },
    },
    {
      name: 'web-uses-only-shared',
      comment: 'The browser bundle may share pure types and helpers with the server through shared/, nothing else.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^server/' },
    },
    {
      name: 'server-not-web',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^web/' },
    },
    {
      name: 'shared-is-pure',
      comment: 'shared/ runs in Node and in the browser: no server, web or Node built-in imports.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|web)/' },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'product-not-tests',
      severity: 'error',
      from: { path: '^(server|web/src|shared)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^web/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'] },
    moduleSystems: ['es6', 'cjs'],
  },
};

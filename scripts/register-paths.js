// Resolves the monorepo's @appeal-ledger/* aliases inside the compiled dist/ at run time.
const { join } = require('node:path');
const { register } = require('tsconfig-paths');

const dist = join(__dirname, '..', 'dist');
register({
  baseUrl: dist,
  paths: {
    '@appeal-ledger/appeal': ['libs/appeal/src/index.js'],
    '@appeal-ledger/event-store': ['libs/event-store/src/index.js'],
    '@appeal-ledger/event-store/eventstoredb': ['libs/event-store/src/eventstoredb/index.js'],
    '@appeal-ledger/projections': ['libs/projections/src/index.js'],
    '@appeal-ledger/reminders': ['libs/reminders/src/index.js'],
  },
});

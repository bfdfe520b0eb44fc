import { benchDatabase } from './support/embedded-postgres';
void (async () => {
  const db = await benchDatabase({ flags: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all', '-c', 'pg_stat_statements.track_planning=on'] });
  require('fs').writeFileSync('/tmp/pgserver.url', db.url);
  process.on('SIGTERM', () => void db.stop().then(() => process.exit(0)));
  setInterval(() => undefined, 1 << 30);
})();

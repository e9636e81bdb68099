import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createServer, openFromConfig, prepare } from './server.ts';
import { DEMO_PASSWORD } from './platform/auth/demo.ts';
import { ROLE_LABELS } from './platform/auth/policy.ts';
import { migrate } from './platform/db/migrate.ts';

function config(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

const program = new Command()
  .name('pilotis')
  .description('Pilotis — pilotage des contrats de ville.\nLa base est PGlite dans PILOTIS_DATA_DIR (./.pilotis), ou PostgreSQL si DATABASE_URL est défini.')
  .showHelpAfterError();

program
  .command('serve')
  .description('Démarre le serveur web (migrations appliquées, contrat par défaut chargé)')
  .action(async () => {
    const cfg = config();
    const database = await openFromConfig(cfg);
    const { contrat, demo, demoDisabled } = await prepare(database, cfg);
    const app = await createServer(cfg, database);
    const close = async () => {
      await app.close();
      await database.close();
      process.exit(0);
    };
    process.on('SIGINT', close);
    process.on('SIGTERM', close);
    await app.listen({ port: cfg.port, host: cfg.host });
    console.log(`\nPilotis est prêt : ${cfg.publicUrl}`);
    console.log(`Base de données : ${database.kind === 'pglite' ? 'PGlite (embarquée)' : 'PostgreSQL'} — ${database.location}`);
    console.log(`Contrat par défaut : ${contrat.nom}`);
    if (demo.length) {
      console.log(`\nComptes de démonstration (développement uniquement), mot de passe : ${DEMO_PASSWORD}`);
      for (const d of demo) console.log(`  ${d.email.padEnd(42)} ${ROLE_LABELS[d.role]}${d.scopeLabel ? ` — ${d.scopeLabel}` : ''}`);
    }
    if (demoDisabled) console.log(`\n${demoDisabled} compte(s) de démonstration désactivé(s) : NODE_ENV=production.`);
  });

program
  .command('migrate')
  .description('Applique les migrations de la base de données')
  .action(async () => {
    const database = await openFromConfig(config());
    await migrate(database);
    console.log('Migrations appliquées.');
    await database.close();
  });

await program.parseAsync(process.argv);

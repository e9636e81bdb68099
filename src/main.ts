import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createServer, openFromConfig, prepare, scopeDirectory } from './server.ts';
import { withSharedGeoData } from './defaults.ts';
import { DEMO_PASSWORD } from './platform/auth/demo.ts';
import { ROLE_LABELS, ROLES } from './platform/auth/policy.ts';
import { migrate } from './platform/db/migrate.ts';
import type { Db } from './platform/db/connect.ts';
import { CliError } from './platform/cli/model.ts';
import { cliActor, createUser, grantUser, listUsers } from './platform/cli/users.ts';
import { importCommand, kindsHelp } from './territoires/import/cli.ts';
import { IMPORT_KINDS } from './territoires/import/model.ts';
import { exportContratCommand } from './contrat/export.ts';
import { exportFichesCommand, FORMATS_EXPORT, idContratParDefaut } from './engagements/export-fiches.ts';
import { exportScdlCommand, FORMATS_SCDL } from './subventions/scdl-export.ts';

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

const HELP_TITLES: Record<string, string> = { 'Usage:': 'Usage :', 'Options:': 'Options :', 'Commands:': 'Commandes :', 'Arguments:': 'Arguments :' };

/** commander speaks English: its few usage errors are given in French like the rest. */
function frenchCommanderError(text: string): string {
  return text
    .replace(/^error: required option '(.+)' not specified/m, "erreur : l'option obligatoire $1 manque")
    .replace(/^error: option '(.+)' argument missing/m, "erreur : l'option $1 attend une valeur")
    .replace(/^error: unknown option '(.+)'/m, 'erreur : option inconnue $1')
    .replace(/^error: unknown command '(.+)'/m, 'erreur : commande inconnue $1')
    .replace(/^error: too many arguments.*$/m, 'erreur : trop d’arguments')
    .replace(/^\(add --help for additional information\)/m, '(ajoutez --help pour en savoir plus)');
}

/** Runs a command on the same database as the server (migrations applied first), prints its text. */
async function withDatabase(command: (db: Db) => Promise<string>): Promise<void> {
  const cfg = config();
  const database = await openFromConfig(cfg);
  try {
    await prepare(database, cfg);
    // A CSV sent to the terminal is already written: nothing more to print, not even a blank line.
    const text = await command(database.db);
    if (text) console.log(text);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    console.error(e.message);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

const program = new Command()
  .name('pilotis')
  .description('Pilotis — pilotage des contrats de ville.\nLa base est PGlite dans PILOTIS_DATA_DIR (./.pilotis), ou PostgreSQL si DATABASE_URL est défini.')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(frenchCommanderError(text)) })
  .configureHelp({ styleTitle: (title) => HELP_TITLES[title] ?? title })
  .helpOption('-h, --help', "affiche l'aide de la commande")
  .helpCommand('help [commande]', "affiche l'aide d'une commande");

program
  .command('serve')
  .description('Démarre le serveur web (migrations appliquées, contrat par défaut chargé)')
  .action(async () => {
    const cfg = withSharedGeoData(config());
    if (cfg.geo.dataDir) console.log(`Données géographiques officielles : ${cfg.geo.dataDir} (importées au premier démarrage)`);
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
    if (demoDisabled) {
      console.log(`\nComptes de démonstration désactivés : ${demoDisabled} (ils ne sont permis qu’en développement, sur l’adresse locale).`);
    }
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

const user = program.command('user').description('Gère les comptes : user create, user grant, user list');

user
  .command('create')
  .description('Crée un compte (sans --password, un mot de passe robuste est tiré au sort et affiché une fois)')
  .requiredOption('--email <adresse>', 'adresse électronique, identifiant de connexion')
  .requiredOption('--name <nom>', 'nom affiché, par exemple "Claire Martin"')
  .option('--password <mot de passe>', 'au moins 12 caractères (déconseillé : reste dans l’historique du terminal)')
  .action((opts: { email: string; name: string; password?: string }) => withDatabase((db) => createUser(db, cliActor(), opts)));

user
  .command('grant')
  .description(`Attribue un rôle à un compte. Rôles : ${ROLES.join(', ')}`)
  .requiredOption('--email <adresse>', 'adresse du compte')
  .requiredOption('--role <rôle>', 'rôle à attribuer')
  .option('--scope <portée>', 'territoire (code, par exemple 75118) ou organisation (nom exact) pour les rôles limités')
  .option('--contrat <slug>', 'contrat concerné (par défaut : le contrat par défaut)')
  .action((opts: { email: string; role: string; scope?: string; contrat?: string }) =>
    withDatabase((db) => grantUser(db, cliActor(), scopeDirectory, opts)),
  );

user
  .command('list')
  .description('Liste les comptes et leurs rôles')
  .action(() => withDatabase((db) => listUsers(db, scopeDirectory)));

program
  .command('import')
  .description('Importe un fichier de données ouvertes : contours (QPV, arrondissements, IRIS), chiffres INSEE des QPV, adresses (BAN)')
  .argument('<type>', `type de fichier : ${IMPORT_KINDS.join(', ')}`)
  .argument('<fichier>', 'chemin du fichier (GeoJSON, CSV ou CSV.gz)')
  .addHelpText('after', `\nTypes de fichier :\n${kindsHelp()}\n\nLe fichier est vérifié en entier avant toute écriture ; un fichier refusé ne modifie rien.`)
  .action((kind: string, file: string) => withDatabase((db) => importCommand(db, cliActor(), kind, file, process.stdout)));

const exporter = program.command('export').description('Exporte des données du contrat par défaut : export contrat, export fiches, export scdl');
exporter
  .command('contrat')
  .description("Exporte l'arbre stratégique du contrat, un élément par ligne (niveau, numero, libelle, parent, source, ref)")
  .requiredOption('--format <format>', 'format du fichier : csv')
  .option('--sortie <fichier>', 'fichier à écrire (par défaut : la sortie standard)')
  .action((opts: { format: string; sortie?: string }) =>
    withDatabase(async (db) => exportContratCommand(db, await idContratParDefaut(db), opts.format, { sortie: opts.sortie, stdout: process.stdout })),
  );
exporter
  .command('fiches')
  .description('Exporte les mesures des fiches de suivi d’une campagne, une ligne par mesure')
  .requiredOption('--annee <année>', 'année de la campagne, par exemple 2015')
  .option('--format <format>', `format : ${FORMATS_EXPORT.join(', ')}`, 'csv')
  .option('--sortie <fichier>', 'fichier à écrire (sans lui, le CSV va sur la sortie standard)')
  .action((opts: { annee: string; format: string; sortie?: string }) =>
    withDatabase(async (db) => exportFichesCommand(db, await idContratParDefaut(db), opts.annee, opts.format, opts.sortie ?? process.stdout, scopeDirectory.organisation)),
  );

exporter
  .command('scdl')
  .description('Exporte les subventions accordées par les appels à projets au schéma de données ouvertes SCDL « subventions »')
  .requiredOption('--format <format>', `format du fichier : ${FORMATS_SCDL.join(', ')}`)
  .option('--annee <année>', 'année de l’appel à projets (par défaut : tous)')
  .option('--sortie <fichier>', 'fichier à écrire (par défaut : la sortie standard)')
  .action((opts: { format: string; annee?: string; sortie?: string }) =>
    withDatabase(async (db) =>
      exportScdlCommand(db, await idContratParDefaut(db), opts, { sortie: opts.sortie, stdout: process.stdout, stderr: process.stderr }),
    ),
  );

await program.parseAsync(process.argv);

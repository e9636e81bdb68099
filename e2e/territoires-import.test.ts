import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { geoFile } from '../test/geo-data.ts';
import { exclusive } from '../src/territoires/import/progress.ts';
import { expectAccessible, expectFocused, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.account('alice@exemple.fr', 'admin');
});
afterAll(() => h?.close());

it('an admin imports the QPV contours and watches the progress reach the result, then a broken file is refused with its line and column', async () => {
  const j = await h.journey();
  const { page } = j;
  await j.signIn('alice@exemple.fr');
  const menu = page.getByRole('navigation', { name: 'Menu principal' });
  await menu.getByRole('link', { name: 'Imports' }).click();
  await page.getByRole('heading', { level: 1, name: 'Imports de données ouvertes' }).waitFor();
  await expectAccessible(page);
  await expect(page.getByText("Aucun import n'a encore été fait pour ce contrat.").count()).resolves.toBe(1);

  // Another import holds the queue, so the progress page is seen before the result.
  let release!: () => void;
  const held = exclusive(() => new Promise<void>((resolve) => (release = resolve)));
  await page.getByLabel('Type de fichier').selectOption({ label: 'Contours des quartiers prioritaires (GeoJSON)' });
  await page.getByLabel('Fichier', { exact: true }).setInputFiles(geoFile('qpv2015_paris.geojson'));
  await page.getByRole('button', { name: 'Importer' }).click();
  await page.getByRole('heading', { level: 1, name: 'Import en cours' }).waitFor();
  await expect(page.getByRole('status').textContent()).resolves.toBe('Étape : En attente');
  await expect(page.getByLabel("Avancement de l'étape").count()).resolves.toBe(1);
  await expectAccessible(page);

  release();
  await held;
  // The page follows the import by itself and ends on the result, its heading focused.
  const done = page.getByRole('heading', { level: 1, name: 'Import terminé' });
  await done.waitFor();
  await expectFocused(done);
  await expect(page.title()).resolves.toBe('Import terminé — qpv2015_paris.geojson — Pilotis');
  await expect(page.getByRole('main').textContent()).resolves.toContain('0 territoire ajouté, 20 modifiés, 0 inchangé.');
  const counts = page.getByRole('table', { name: 'Résultat' });
  await expect(counts.getByRole('row', { name: /Modifiés/ }).getByRole('cell').textContent()).resolves.toBe('20');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Importer un autre fichier' }).click();
  await page.getByRole('heading', { level: 1, name: 'Imports de données ouvertes' }).waitFor();
  await expectAccessible(page);
  const history = page.getByRole('table', { name: /Historique des imports/ });
  const row = history.getByRole('row').filter({ hasText: 'qpv2015_paris.geojson' });
  await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([
    expect.any(String),
    'Contours des quartiers prioritaires (GeoJSON)',
    'qpv2015_paris.geojson',
    'alice@exemple.fr',
    'Terminé',
    '0',
    '20',
    '0',
    expect.stringContaining('0 territoire ajouté, 20 modifiés, 0 inchangé.'),
  ]);

  // A broken address file: the third line has a latitude that is not a number.
  const dir = mkdtempSync(join(tmpdir(), 'pilotis-e2e-'));
  const broken = join(dir, 'adresses-75.csv');
  writeFileSync(broken, 'id;numero;rep;nom_voie;code_postal;code_insee;lon;lat\n75118_a_1;1;;Rue Pajol;75018;75118;2.3605;48.8851\n75118_a_2;2;;Rue Pajol;75018;75118;2.3606;48,86x\n');
  await page.getByLabel('Type de fichier').selectOption({ label: 'Base Adresse Nationale (CSV ou CSV.gz)' });
  await page.getByLabel('Fichier', { exact: true }).setInputFiles(broken);
  await page.getByRole('button', { name: 'Importer' }).click();
  await page.getByRole('heading', { level: 1, name: "Échec de l'import" }).waitFor();
  const main = page.getByRole('main');
  await expect(main.textContent()).resolves.toContain("Ligne 3, colonne lat : « 48,86x » n'est pas un nombre.");
  await expect(main.getByRole('listitem').allTextContents()).resolves.toEqual(['Ligne : 3', 'Colonne : lat']);
  await expect(main.textContent()).resolves.toContain("Aucune donnée n'a été modifiée.");
  await expectAccessible(page);
  await j.done();
});

import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { DUREE_VIE_MS, MAX_LOTS, RegistreLots, TropDeLots, type Localiser } from './lots.ts';
import { Progression } from './lot-views.tsx';
import type { Tableau } from './geo/lot.ts';
import type { Localisation } from './geo/types.ts';

const tableau = (n: number): Tableau => ({ separateur: ';', entetes: ['Nom', 'Adresse'], lignes: Array.from({ length: n }, (_, i) => [`Personne ${i}`, `${i + 1} rue Ordener`]) });
const horsQpv: Localisation = {
  statut: 'hors_qpv',
  qpv: null,
  qpvProche: null,
  arrondissement: null,
  iris: null,
  point: { lon: 2.35, lat: 48.89 },
  correspondance: { methode: 'coordonnees' },
  motif: null,
};

/** A localiser that waits, after `pause` rows, until released: the run's middle can be looked at. */
function gated(pause: number) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const reached = { promise: null as Promise<void> | null, resolve: () => {} };
  reached.promise = new Promise<void>((r) => (reached.resolve = r));
  const localiser: Localiser = async () => {
    calls++;
    if (calls === pause + 1) {
      reached.resolve();
      await gate;
    }
    return horsQpv;
  };
  return { localiser, release, reached: reached.promise };
}

describe('the in-memory registry of address files', () => {
  it('shows progress while running, then the summary; the rows are dropped once the result is built', async () => {
    const registre = new RegistreLots();
    const lot = registre.creer('moi', 'liste.csv', tableau(450), 'lot');
    const g = gated(300);
    const done = registre.lancer(lot, { mode: 'complete', adresse: 1 }, g.localiser);
    await g.reached;
    expect(lot.etat).toBe('en_cours');
    expect(lot.traites).toBe(300);
    const html = renderToString(<Progression lot={lot} automatique />);
    expect(html).toContain('66 % — 300 adresses vérifiées sur 450.');
    expect(html).toContain('<progress max="450" value="300"');
    expect(html).toContain('Arrêter la mise à jour automatique');
    g.release();
    await done;
    expect(lot.etat).toBe('termine');
    expect(lot.resume).toMatchObject({ total: 450, horsQpv: 450 });
    const csv = registre.telecharger(lot)!;
    expect(csv.split('\r\n')[1]).toBe('Personne 0;1 rue Ordener;hors_qpv;;;;;coordonnées;');
    expect(lot.tableau).toBeNull();
    expect(lot.resultats).toBeNull();
    expect(registre.telecharger(lot)).toBeNull();
    expect(lot.resume?.total).toBe(450);
  });

  it('shows a file only to the browser that uploaded it', () => {
    const registre = new RegistreLots();
    const lot = registre.creer('moi', 'liste.csv', tableau(1), 'lot');
    expect(registre.lire(lot.id, 'moi')).toBe(lot);
    expect(registre.lire(lot.id, 'quelqu’un d’autre')).toBeUndefined();
    expect(registre.lire(lot.id, null)).toBeUndefined();
  });

  it('forgets a file 15 minutes after the upload, even in the middle of a run', async () => {
    let now = 1_000_000;
    const registre = new RegistreLots(() => now);
    const lot = registre.creer('moi', 'liste.csv', tableau(450), 'lot');
    const g = gated(200);
    const done = registre.lancer(lot, { mode: 'complete', adresse: 1 }, g.localiser);
    await g.reached;
    now += DUREE_VIE_MS;
    expect(registre.lire(lot.id, 'moi')).toBeUndefined();
    expect(registre.taille).toBe(0);
    g.release();
    await done;
    // The run stopped where it was and kept no result.
    expect(lot.resultats).toBeNull();
    expect(lot.traites).toBeLessThan(450);
  });

  it('refuses a new file when too many are held, and records a failure with its message', async () => {
    const registre = new RegistreLots();
    for (let i = 0; i < MAX_LOTS; i++) registre.creer('moi', `f${i}.csv`, tableau(1), 'lot');
    expect(() => registre.creer('moi', 'un de trop.csv', tableau(1), 'lot')).toThrow(TropDeLots);
    const other = new RegistreLots();
    const lot = other.creer('moi', 'liste.csv', tableau(2), 'lot');
    await other.lancer(lot, { mode: 'complete', adresse: 1 }, async () => {
      throw new Error('La géographie prioritaire n’est pas encore chargée.');
    });
    expect(lot).toMatchObject({ etat: 'echec', erreur: 'La géographie prioritaire n’est pas encore chargée.', tableau: null });
  });
});

import { randomBytes } from 'node:crypto';
import { ADRESSE_VIDE, csvResultat, resultatLigne, resumer, texteAdresse, type ChoixColonnes, type Resume, type ResultatLigne, type Tableau } from './geo/lot.ts';
import type { AdresseIntrouvable, Localisation } from './geo/types.ts';

// Address files being classified, held in this process's memory only. The addresses are personal
// data (an association's beneficiaries): they are never written to the database, the audit log or
// a file, and are dropped as soon as the result is downloaded, or 15 minutes after the upload.
// Only the summary's counts outlive the download, until the same expiry.

export const DUREE_VIE_MS = 15 * 60 * 1000;
/** At most this many files in memory at once (5 MB each at most). */
export const MAX_LOTS = 40;
/** Rows classified between two yields to the event loop: other requests keep being served. */
const PAQUET = 200;

export type But = 'lot' | 'quartier_vecu';

export type Lot = {
  id: string;
  /** The browser that uploaded it (a random value in a signed cookie): nobody else sees it. */
  proprietaire: string;
  but: But;
  nomFichier: string;
  expireA: number;
  /** The rows, until the result is downloaded or the file expires. */
  tableau: Tableau | null;
  choix: ChoixColonnes | null;
  etat: 'a_configurer' | 'en_cours' | 'termine' | 'echec';
  traites: number;
  resultats: ResultatLigne[] | null;
  resume: Resume | null;
  telecharge: boolean;
  erreur: string | null;
};

export type Localiser = (texte: string) => Promise<Localisation | AdresseIntrouvable>;

export class TropDeLots extends Error {}

export class RegistreLots {
  private lots = new Map<string, Lot>();

  constructor(private now: () => number = Date.now) {}

  private purger(): void {
    const t = this.now();
    for (const [id, lot] of this.lots) if (lot.expireA <= t) this.lots.delete(id);
  }

  get taille(): number {
    this.purger();
    return this.lots.size;
  }

  creer(proprietaire: string, nomFichier: string, tableau: Tableau, but: But): Lot {
    this.purger();
    if (this.lots.size >= MAX_LOTS) throw new TropDeLots('Trop de fichiers sont en cours de traitement : réessayez dans quelques minutes.');
    const lot: Lot = {
      id: randomBytes(16).toString('base64url'),
      proprietaire,
      but,
      nomFichier,
      expireA: this.now() + DUREE_VIE_MS,
      tableau,
      choix: null,
      etat: 'a_configurer',
      traites: 0,
      resultats: null,
      resume: null,
      telecharge: false,
      erreur: null,
    };
    this.lots.set(lot.id, lot);
    // Dropped at expiry even if nobody comes back: the timer does not keep the process alive.
    setTimeout(() => this.purger(), DUREE_VIE_MS + 1000).unref();
    return lot;
  }

  /** The file of that owner, or undefined (unknown, expired, or someone else's: the same answer). */
  lire(id: string, proprietaire: string | null): Lot | undefined {
    this.purger();
    const lot = this.lots.get(id);
    return lot && proprietaire && lot.proprietaire === proprietaire ? lot : undefined;
  }

  /** Classifies every row in the background; the progress page reads `traites`. */
  lancer(lot: Lot, choix: ChoixColonnes, localiser: Localiser): Promise<void> {
    lot.choix = choix;
    lot.etat = 'en_cours';
    lot.traites = 0;
    const tableau = lot.tableau!;
    const resultats: ResultatLigne[] = [];
    const run = async () => {
      try {
        for (const ligne of tableau.lignes) {
          const texte = texteAdresse(ligne, choix);
          resultats.push(texte ? resultatLigne(await localiser(texte)) : ADRESSE_VIDE);
          lot.traites++;
          if (lot.traites % PAQUET === 0) await new Promise((resolve) => setImmediate(resolve));
          // Expired or dropped meanwhile: stop, and keep nothing.
          if (!this.lots.has(lot.id)) return;
        }
        lot.resultats = resultats;
        lot.resume = resumer(resultats);
        lot.etat = 'termine';
      } catch (e) {
        lot.etat = 'echec';
        lot.erreur = e instanceof Error ? e.message : String(e);
        lot.tableau = null;
      }
    };
    return run();
  }

  /** The result file; the rows are dropped from memory once it is built. */
  telecharger(lot: Lot): string | null {
    if (lot.etat !== 'termine' || !lot.tableau || !lot.resultats) return null;
    const csv = csvResultat(lot.tableau, lot.resultats);
    lot.tableau = null;
    lot.resultats = null;
    lot.telecharge = true;
    return csv;
  }

  /** Everything the server holds about this file, now. */
  supprimer(lot: Lot): void {
    this.lots.delete(lot.id);
  }
}

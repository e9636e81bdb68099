import { chercherBan, BanApiIndisponible } from './ban-api.ts';
import { Geocodeur, type LigneAdresse } from './geocodeur.ts';
import { buildZoneIndex, type ZoneIndex } from './index.ts';
import { classer, classerZone, MOTIF_HORS_TERRITOIRE, ref, type Classement } from './model.ts';
import type { AdresseIntrouvable, Correspondance, Localisation, Zone } from './types.ts';

// Address or point → Localisation: the geocoder, the zone index and the rule, put together.
// Pure (no database): locator.ts feeds it from the tables and keeps one per contract.

/** The geography a question needs is not loaded: no answer is given rather than a wrong "hors QPV". */
export class GeographieNonChargee extends Error {}

export const MESSAGE_QPV_ABSENTS =
  'La géographie prioritaire n’est pas encore chargée : les contours des quartiers prioritaires n’ont pas été importés. ' +
  'Aucune réponse n’est donnée tant qu’ils manquent (import « qpv » sur la page d’administration des imports, ou commande « pilotis import qpv »).';
export const MESSAGE_ADRESSES_ABSENTES =
  'La base d’adresses n’est pas encore importée : une adresse ne peut pas être localisée. ' +
  'Cherchez par coordonnées (latitude et longitude), ou importez la Base Adresse Nationale (import « adresses »).';

export type EtatGeographie = { qpv: number; arrondissement: number; iris: number; adresses: number };

export type Localisateur = {
  etat: EtatGeographie;
  index: ZoneIndex;
  localiserPoint(lon: number, lat: number): Localisation;
  localiserAdresse(texte: string): Promise<Localisation | AdresseIntrouvable>;
};

export type OptionsLocalisateur = {
  toleranceMetres: number;
  /** The national address API, asked when the local base does not know an address. */
  banApiUrl?: string | undefined;
  fetch?: typeof fetch;
  now?: () => number;
};

const PAUSE_API_MS = 60_000;

/** Below this score, an answer of the national API is not trusted on its own. */
const SCORE_BAN_SUR = 0.6;

export function creerLocalisateur(zones: Zone[], adresses: Iterable<LigneAdresse> | Geocodeur, options: OptionsLocalisateur): Localisateur {
  const index = buildZoneIndex(zones, { toleranceMetres: options.toleranceMetres });
  const geocodeur = adresses instanceof Geocodeur ? adresses : new Geocodeur(adresses);
  const etat: EtatGeographie = { ...index.counts, adresses: geocodeur.taille };

  function verifierQpv(): void {
    if (!index.counts.qpv) throw new GeographieNonChargee(MESSAGE_QPV_ABSENTS);
  }

  function classerPoint(lon: number, lat: number) {
    const situation = index.locate(lon, lat);
    const c = classer(situation);
    const horsTerritoire = c.statut === 'hors_qpv' && index.counts.arrondissement > 0 && !situation.arrondissement;
    return { situation, classement: horsTerritoire ? { ...c, motif: MOTIF_HORS_TERRITOIRE } : c };
  }

  function assembler(lon: number, lat: number, classement: Classement, correspondance: Correspondance, situation = index.locate(lon, lat)): Localisation {
    return {
      statut: classement.statut,
      qpv: classement.qpv,
      qpvProche: classement.qpvProche,
      arrondissement: situation.arrondissement ? ref(situation.arrondissement) : null,
      iris: situation.iris ? ref(situation.iris) : null,
      point: { lon, lat },
      correspondance,
      motif: classement.motif,
    };
  }

  function localiserPoint(lon: number, lat: number): Localisation {
    verifierQpv();
    const { situation, classement } = classerPoint(lon, lat);
    return assembler(lon, lat, classement, { methode: 'coordonnees' }, situation);
  }

  // After a failure, the API is left alone for a minute: a file of unknown addresses does not wait
  // for a timeout on each of its rows.
  let apiEnPanneJusqua = 0;
  let panne = '';

  async function parApi(texte: string, local: AdresseIntrouvable): Promise<Localisation | AdresseIntrouvable> {
    if (!options.banApiUrl) return local;
    const now = (options.now ?? Date.now)();
    if (now < apiEnPanneJusqua) return { ...local, motif: `${local.motif} ${panne} L’adresse n’a pas pu être vérifiée auprès de lui.` };
    let r;
    try {
      r = await chercherBan(options.banApiUrl, texte, { fetch: options.fetch });
    } catch (e) {
      if (!(e instanceof BanApiIndisponible)) throw e;
      apiEnPanneJusqua = now + PAUSE_API_MS;
      panne = e.message;
      return { ...local, motif: `${local.motif} ${e.message} L’adresse n’a pas pu être vérifiée auprès de lui.` };
    }
    if (!r) return { ...local, motif: `${local.motif} Le service national d’adresses ne la connaît pas non plus.` };
    const { situation, classement } = classerPoint(r.lon, r.lat);
    const correspondance: Correspondance = { methode: 'api_ban', adresse: r.label, score: Math.round(r.score * 100) / 100 };
    const douteux = !r.auNumero
      ? `Adresse trouvée par le service national d’adresses au niveau de la voie seulement (« ${r.label} ») : précisez le numéro ou vérifiez sur la carte.`
      : r.score < SCORE_BAN_SUR
        ? `Correspondance peu sûre du service national d’adresses (« ${r.label} », score ${r.score.toLocaleString('fr-FR', { maximumFractionDigits: 2 })}) : vérifiez l’adresse.`
        : null;
    const final = douteux ? { statut: 'incertain' as const, qpv: null, qpvProche: classement.qpvProche, motif: douteux } : classement;
    return assembler(r.lon, r.lat, final, correspondance, situation);
  }

  async function localiserAdresse(texte: string): Promise<Localisation | AdresseIntrouvable> {
    verifierQpv();
    if (!geocodeur.taille && !options.banApiUrl) throw new GeographieNonChargee(MESSAGE_ADRESSES_ABSENTES);
    const g = geocodeur.taille
      ? geocodeur.geocoder(texte)
      : ({ statut: 'introuvable', motif: 'La base d’adresses locale est vide.', suggestions: [] } satisfies AdresseIntrouvable);
    if (g.statut === 'introuvable') return parApi(texte, g);
    const { point, correspondance, autresPositions } = g;
    const { situation, classement } = classerPoint(point.lon, point.lat);
    if (!autresPositions.length) return assembler(point.lon, point.lat, classement, correspondance, situation);
    const description = correspondance.methode === 'adresse_approchee' ? `Adresse approchée (${correspondance.raison})` : 'Adresse approchée';
    const zone = classerZone(
      classement,
      autresPositions.map((p) => classerPoint(p.lon, p.lat).classement),
      description,
    );
    return assembler(point.lon, point.lat, zone, correspondance, situation);
  }

  return { etat, index, localiserPoint, localiserAdresse };
}

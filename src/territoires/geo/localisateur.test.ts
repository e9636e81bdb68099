import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lignesBan, zonesDuFichier } from '../../../test/geo-load.ts';
import { chercherBan, BanApiIndisponible } from './ban-api.ts';
import { Geocodeur } from './geocodeur.ts';
import { creerLocalisateur, GeographieNonChargee, MESSAGE_ADRESSES_ABSENTES, MESSAGE_QPV_ABSENTS } from './localisateur.ts';
import type { AdresseIntrouvable, Localisation } from './types.ts';

const zones = [...zonesDuFichier('qpv'), ...zonesDuFichier('arrondissements'), ...zonesDuFichier('iris')];
const geocodeur = new Geocodeur(lignesBan());
const loc = creerLocalisateur(zones, geocodeur, { toleranceMetres: 15 });

function localisation(r: Localisation | AdresseIntrouvable): Localisation {
  if (r.statut === 'introuvable') throw new Error(r.motif);
  return r;
}

describe('address → QPV on the real Paris files', () => {
  it.each([
    ['6S1 Avenue Joseph Bédier', 'QP075001', 'Bédier - Boutroux', '75113'],
    ['1 rue Émile Blémont 75018 Paris', 'QP075009', 'Blémont', '75118'],
    ['10 rue de la Solidarité, 75019 Paris', 'QP075016', 'Danube - Solidarité - Marseillaise', '75119'],
  ])('%s is in %s', async (texte, code, nom, arrondissement) => {
    const r = localisation(await loc.localiserAdresse(texte));
    expect(r).toMatchObject({ statut: 'qpv', qpv: { code, nom }, qpvProche: null, motif: null, arrondissement: { code: arrondissement } });
    expect(r.iris?.code).toMatch(new RegExp(`^${arrondissement}`));
  });

  it('answers hors_qpv far from any QPV', async () => {
    const r = localisation(await loc.localiserAdresse('2 rue des Rosiers, 75004 Paris'));
    expect(r).toMatchObject({ statut: 'hors_qpv', qpv: null, qpvProche: null, motif: null, arrondissement: { code: '75104', nom: 'Hôtel-de-Ville' } });
    expect(r.correspondance).toEqual({ methode: 'adresse_exacte', adresse: '2 Rue des Rosiers, 75004 Paris', banId: '75104_8370_00002' });
  });

  it('answers incertain for an address a few metres inside a QPV edge, with the distance', async () => {
    const r = localisation(await loc.localiserAdresse('3 rue Marcadet 75018'));
    expect(r.statut).toBe('incertain');
    expect(r.qpv).toBeNull();
    expect(r.qpvProche).toMatchObject({ code: 'QP075012', nom: "Goutte D'Or" });
    expect(r.qpvProche!.distanceMetres).toBeLessThanOrEqual(15);
    expect(r.motif).toMatch(/^À \d+ m de la limite du quartier Goutte D'Or \(côté intérieur\) : vérifiez sur la carte\.$/);
  });

  it('answers incertain when the neighbouring numbers of a missing one are on both sides of an edge', async () => {
    const r = localisation(await loc.localiserAdresse('34 rue Mouraud 75020'));
    expect(r.statut).toBe('incertain');
    expect(r.correspondance.methode).toBe('adresse_approchee');
    expect(r.motif).toBe(
      'Adresse approchée (Le numéro 34 n’existe pas dans la base : position du 32, le numéro le plus proche du même côté de la voie) : ' +
        'les positions possibles sont de part et d’autre de la limite du quartier Les Portes Du Vingtième. Précisez l’adresse ou vérifiez sur la carte.',
    );
  });

  it('keeps the answer of an approximate match when the whole candidate area is on one side', async () => {
    const street = localisation(await loc.localiserAdresse('rue Émile Blémont'));
    expect(street).toMatchObject({ statut: 'qpv', qpv: { code: 'QP075009' }, correspondance: { methode: 'adresse_approchee' } });
    const misspelt = localisation(await loc.localiserAdresse('1 rue emile blemon'));
    expect(misspelt).toMatchObject({ statut: 'qpv', qpv: { code: 'QP075009' }, correspondance: { methode: 'adresse_approchee' } });
  });

  it('answers incertain for a whole street crossing a QPV edge', async () => {
    const r = localisation(await loc.localiserAdresse('rue Mouraud'));
    expect(r.statut).toBe('incertain');
    expect(r.motif).toMatch(/^Adresse approchée \(Aucun numéro : toute la voie est prise en compte\) : /);
  });

  it('answers introuvable for an unknown street, with suggestions', async () => {
    const r = await loc.localiserAdresse('1 rue imaginaire des lilas');
    expect(r.statut).toBe('introuvable');
    expect((r as AdresseIntrouvable).suggestions).toContain('1 Rue des Lilas, 75019 Paris');
  });

  it('locates points, says when one is outside the contract’s territory', () => {
    expect(loc.localiserPoint(2.377233, 48.821213)).toMatchObject({ statut: 'qpv', qpv: { code: 'QP075001' }, correspondance: { methode: 'coordonnees' }, point: { lon: 2.377233, lat: 48.821213 } });
    const lyon = loc.localiserPoint(4.8357, 45.764);
    expect(lyon).toMatchObject({ statut: 'hors_qpv', arrondissement: null, iris: null });
    expect(lyon.motif).toBe('Ce point est en dehors du territoire du contrat : aucun arrondissement chargé ne le contient.');
  });

  it('refuses to answer until the QPV contours are loaded, and says why', async () => {
    const empty = creerLocalisateur(zonesDuFichier('arrondissements'), geocodeur, { toleranceMetres: 15 });
    expect(empty.etat).toEqual({ qpv: 0, arrondissement: 20, iris: 0, adresses: 158_048 });
    expect(() => empty.localiserPoint(2.35, 48.85)).toThrow(new GeographieNonChargee(MESSAGE_QPV_ABSENTS));
    await expect(empty.localiserAdresse('12 rue de la Chapelle')).rejects.toThrow(MESSAGE_QPV_ABSENTS);
  });

  it('refuses addresses (not points) while the address base is empty and no national API is configured', async () => {
    const noAddresses = creerLocalisateur(zones, [], { toleranceMetres: 15 });
    await expect(noAddresses.localiserAdresse('12 rue de la Chapelle')).rejects.toThrow(MESSAGE_ADRESSES_ABSENTES);
    expect(noAddresses.localiserPoint(2.377233, 48.821213).statut).toBe('qpv');
  });
});

describe('the national address API adapter, against a stub server', () => {
  let server: Server;
  let url: string;
  const asked: string[] = [];
  // The stub answers as api-adresse.data.gouv.fr does, from the q parameter.
  beforeAll(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://stub');
      asked.push(`${u.pathname}?${u.searchParams.toString()}`);
      const q = u.searchParams.get('q') ?? '';
      if (q.includes('panne')) {
        res.writeHead(503).end();
        return;
      }
      const feature = (label: string, lon: number, lat: number, score: number, type: string, housenumber?: string) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: { label, score, type, housenumber, street: 'Rue Émile Blémont', postcode: '75018', citycode: '75118' },
      });
      const features = q.includes('blemont nouvelle')
        ? [feature('7 Rue Émile Blémont 75018 Paris', 2.341717, 48.894998, 0.93, 'housenumber', '7')]
        : q.includes('voie seule')
          ? [feature('Rue Émile Blémont 75018 Paris', 2.341867, 48.894815, 0.9, 'street')]
          : q.includes('douteuse')
            ? [feature('2 Rue des Rosiers 75004 Paris', 2.361011, 48.856425, 0.41, 'housenumber', '2')]
            : [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'FeatureCollection', features }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks GET {url}/search/?q=…&limit=1 and reads the best feature', async () => {
    const r = await chercherBan(url, '7 rue blemont nouvelle');
    expect(r).toEqual({ lon: 2.341717, lat: 48.894998, label: '7 Rue Émile Blémont 75018 Paris', score: 0.93, auNumero: true, citycode: '75118' });
    expect(asked.at(-1)).toBe('/search/?q=7+rue+blemont+nouvelle&limit=1');
    expect(await chercherBan(url, 'rien du tout')).toBeNull();
    await expect(chercherBan(url, 'en panne')).rejects.toBeInstanceOf(BanApiIndisponible);
    await expect(chercherBan('http://127.0.0.1:9', 'x', { timeoutMs: 2000 })).rejects.toThrow('Le service national d’adresses ne répond pas.');
  });

  it('is asked only when configured and the local base does not find the address', async () => {
    const withApi = creerLocalisateur(zones, geocodeur, { toleranceMetres: 15, banApiUrl: url });
    const before = asked.length;
    localisation(await withApi.localiserAdresse('12 rue de la Chapelle'));
    expect(asked.length).toBe(before);

    const r = localisation(await withApi.localiserAdresse('7 avenue blemont nouvelle'));
    expect(r).toMatchObject({ statut: 'qpv', qpv: { code: 'QP075009' }, correspondance: { methode: 'api_ban', adresse: '7 Rue Émile Blémont 75018 Paris', score: 0.93 } });
    expect(asked.length).toBe(before + 1);

    // Without configuration, the same text stays unknown and nothing is asked.
    expect((await loc.localiserAdresse('7 avenue blemont nouvelle')).statut).toBe('introuvable');
    expect(asked.length).toBe(before + 1);
  });

  it('does not trust a street-level or low-score answer of the API', async () => {
    const withApi = creerLocalisateur(zones, geocodeur, { toleranceMetres: 15, banApiUrl: url });
    const street = localisation(await withApi.localiserAdresse('avenue voie seule'));
    expect(street.statut).toBe('incertain');
    expect(street.motif).toBe('Adresse trouvée par le service national d’adresses au niveau de la voie seulement (« Rue Émile Blémont 75018 Paris ») : précisez le numéro ou vérifiez sur la carte.');
    const low = localisation(await withApi.localiserAdresse('avenue douteuse'));
    expect(low.statut).toBe('incertain');
    expect(low.motif).toContain('score 0,41');
  });

  it('says when the API is down rather than guessing, and leaves it alone for a minute', async () => {
    let now = 0;
    const withApi = creerLocalisateur(zones, geocodeur, { toleranceMetres: 15, banApiUrl: url, now: () => now });
    const r = await withApi.localiserAdresse('1 avenue en panne');
    expect(r.statut).toBe('introuvable');
    expect((r as AdresseIntrouvable).motif).toContain('Le service d’adresses a répondu 503.');
    const before = asked.length;
    const again = await withApi.localiserAdresse('7 avenue blemont nouvelle');
    expect(again.statut).toBe('introuvable');
    expect((again as AdresseIntrouvable).motif).toContain('Le service d’adresses a répondu 503.');
    expect(asked.length).toBe(before);
    now += 60_001;
    expect(await withApi.localiserAdresse('7 avenue blemont nouvelle')).toMatchObject({ statut: 'qpv', correspondance: { methode: 'api_ban' } });
    expect(asked.length).toBe(before + 1);
  });
});

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../platform/validation.ts';
import { mayEver } from '../platform/auth/policy.ts';
import { sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { toCsv } from '../platform/exports/csv.ts';
import { leafletAssets } from '../platform/ui/map-assets.ts';
import { territoiresApi } from './api.ts';
import { ArrondissementPage } from './arrondissement-views.tsx';
import { ComparerPage } from './comparer-views.tsx';
import { FichePage } from './fiche-views.tsx';
import { cleSerie, estSourceContrat, libelleGeographie, rattachements, rattachementsDuContrat, seriesDe, texteValeur, trier, TRIS } from './fiche-model.ts';
import { contoursDe, detaillerParCode, geographiesDe, listerDetailles, type TerritoireDetaille } from './fiche-store.ts';
import { chiffrePrincipal } from './fiche-model.ts';
import { ecartContrat, totalPopulation } from './model.ts';
import { QuartiersPage, type Carto, type LigneQpv, type QuartiersData } from './views.tsx';

// The public pages of the priority geography: the list of QPV, a fact sheet per QPV, the comparison
// of all QPV, an arrondissement's page; the territories API; Leaflet's files for the maps.

const geographieParam = z.string().regex(/^[\w-]{1,16}$/, 'Géographie invalide').optional();
const listeQuery = z.object({ geographie: geographieParam });
const codeParams = z.object({ code: z.string().regex(/^[\w-]{1,40}$/, 'Code invalide') });
const comparerQuery = z.object({ geographie: geographieParam, serie: z.string().max(200).optional(), tri: z.enum(TRIS).default('code') });

const parType = (d: TerritoireDetaille['parents'], type: string) =>
  d.filter((l) => l.territoire.type === type).map((l) => ({ code: l.territoire.code, nom: l.territoire.nom, source: l.source }));
/** The arrondissements as the contract's table names them (the list, the CSV). */
const arrondissementsDuContrat = (d: TerritoireDetaille['parents']) => rattachementsDuContrat(parType(d, 'arrondissement'));

export const territoiresRoutes: FastifyPluginAsync = async (app) => {
  await app.register(leafletAssets);
  territoiresApi(app);

  const db = () => app.ctx.db;
  const carto = (): Carto => ({ tileUrl: app.ctx.config.geo.tileUrl, tileAttribution: app.ctx.config.geo.tileAttribution });
  // Who may import contours is told where a map is missing; the link leads to the import page.
  const importer = (req: FastifyRequest) => mayEver(req.actor, 'admin.imports', req.contrat.id);

  /** The QPV geography asked for, or the contract's (2015 first), or null when there is none of that version. */
  async function geographie(req: FastifyRequest, asked: string | undefined): Promise<{ g: string; all: string[] } | null> {
    const all = await geographiesDe(db(), req.contrat.id, 'qpv');
    const g = asked ?? (all.includes('2015') ? '2015' : all.at(-1));
    return g && all.includes(g) ? { g, all } : null;
  }

  async function quartiersData(req: FastifyRequest, g: string, all: string[]): Promise<QuartiersData> {
    const contratId = req.contrat.id;
    const [qpvs, qvas, communes, contours, arrondissements] = await Promise.all([
      listerDetailles(db(), contratId, { type: 'qpv', geographie: g }),
      listerDetailles(db(), contratId, { type: 'qva' }),
      listerDetailles(db(), contratId, { type: 'commune' }),
      contoursDe(db(), contratId, { type: 'qpv', geographie: g }),
      contoursDe(db(), contratId, { type: 'arrondissement' }),
    ]);
    const lignes: LigneQpv[] = qpvs.map((q) => ({
      code: q.territoire.code,
      nom: q.territoire.nom,
      arrondissements: arrondissementsDuContrat(q.parents),
      population: chiffrePrincipal(q.valeurs.filter((v) => v.indicateur === 'population')).principal,
      revenuMedian: chiffrePrincipal(q.valeurs.filter((v) => v.indicateur === 'revenu_median')).principal,
    }));
    // The total is computed from the contract's own table, one value per quartier, never typed.
    const duContrat = qpvs.flatMap((q) => {
      const v = chiffrePrincipal(q.valeurs.filter((x) => x.indicateur === 'population' && estSourceContrat(x.source))).principal;
      return v ? [{ ...v, territoire: q.territoire.code }] : [];
    });
    const total = duContrat.length ? totalPopulation(duContrat) : null;
    const millesime = duContrat[0]?.millesime;
    const imprime = communes
      .flatMap((c) => c.valeurs)
      .find((v) => v.indicateur === 'population_qpv' && estSourceContrat(v.source) && v.millesime === millesime && v.valeur !== null);
    return {
      geographie: g,
      geographies: all,
      lignes,
      total: total && { somme: total.total, quartiers: total.territoires, manquants: total.manquants },
      ecart: total && imprime ? { ...ecartContrat(total.total, imprime.valeur!), source: imprime } : null,
      qva: qvas.map((q) => ({ code: q.territoire.code, nom: q.territoire.nom, source: q.territoire.source, arrondissements: arrondissementsDuContrat(q.parents) })),
      arrondissements,
      contours,
      importer: importer(req),
      carto: carto(),
    };
  }

  function invalid(req: FastifyRequest, reply: FastifyReply, error: z.ZodError): FastifyReply {
    return sendError(req, reply, 400, error.issues.map((i) => i.message).join(' '));
  }

  app.get('/quartiers', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const q = listeQuery.safeParse(req.query);
    if (!q.success) return invalid(req, reply, q.error);
    const geo = await geographie(req, q.data.geographie);
    if (!geo) return sendError(req, reply, 404, 'Aucun quartier prioritaire n’est enregistré pour cette géographie.');
    const d = await quartiersData(req, geo.g, geo.all);
    return sendPage(req, reply, 'Les quartiers prioritaires', <QuartiersPage d={d} />);
  });

  app.get('/quartiers.csv', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const q = listeQuery.safeParse(req.query);
    if (!q.success) return invalid(req, reply, q.error);
    const geo = await geographie(req, q.data.geographie);
    if (!geo) return sendError(req, reply, 404, 'Aucun quartier prioritaire n’est enregistré pour cette géographie.');
    const qpvs = await listerDetailles(db(), req.contrat.id, { type: 'qpv', geographie: geo.g });
    const header = ['Code', 'Nom', 'Nom officiel', 'Géographie', 'Arrondissements'];
    for (const label of ['Population', 'Revenu fiscal médian (€/UC)']) header.push(`${label} (imprimé)`, label, `${label} : millésime`, `${label} : source`);
    const rows = qpvs.map((d) => {
      const t = d.territoire;
      const row: (string | number | null)[] = [t.code, t.nom, t.nomOfficiel, libelleGeographie(t.geographie), arrondissementsDuContrat(d.parents).map((a) => a.code).join(' ')];
      for (const indicateur of ['population', 'revenu_median']) {
        const v = chiffrePrincipal(d.valeurs.filter((x) => x.indicateur === indicateur)).principal;
        row.push(v?.texte ?? null, v?.valeur ?? null, v?.millesime ?? null, v?.source ?? null);
      }
      return row;
    });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="quartiers-prioritaires-${geo.g}.csv"`)
      .send(toCsv(header, rows));
  });

  app.get('/quartiers/comparer', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const q = comparerQuery.safeParse(req.query);
    if (!q.success) return invalid(req, reply, q.error);
    const geo = await geographie(req, q.data.geographie);
    if (!geo) return sendError(req, reply, 404, 'Aucun quartier prioritaire n’est enregistré pour cette géographie.');
    const contratId = req.contrat.id;
    const [qpvs, communes, contours, fond] = await Promise.all([
      listerDetailles(db(), contratId, { type: 'qpv', geographie: geo.g }),
      listerDetailles(db(), contratId, { type: 'commune' }),
      contoursDe(db(), contratId, { type: 'qpv', geographie: geo.g }),
      contoursDe(db(), contratId, { type: 'arrondissement' }),
    ]);
    const series = seriesDe(qpvs.flatMap((d) => d.valeurs));
    const serie = q.data.serie === undefined ? (series[0] ?? null) : series.find((s) => s.cle === q.data.serie);
    if (serie === undefined) return sendError(req, reply, 400, 'Cet indicateur n’existe pas pour ces quartiers : choisissez-en un dans la liste.');
    const inSerie = (v: { indicateur: string; millesime: string; source: string }) => serie !== null && cleSerie(v) === serie.cle;
    const lignes = trier(
      qpvs.map((d) => {
        const v = d.valeurs.find(inSerie);
        return { code: d.territoire.code, nom: d.territoire.nom, valeur: v?.valeur ?? null, texte: v ? texteValeur(v) : '', source: v?.source ?? null };
      }),
      q.data.tri,
    );
    const refCommune = communes.find((c) => c.valeurs.some((v) => inSerie(v) && v.valeur !== null));
    const refValeur = refCommune?.valeurs.find((v) => inSerie(v) && v.valeur !== null);
    const d = {
      geographie: geo.g,
      series,
      serie,
      tri: q.data.tri,
      lignes,
      reference: refCommune && refValeur ? { nom: refCommune.territoire.nom, valeur: refValeur.valeur!, texte: texteValeur(refValeur), source: refValeur.source } : null,
      tous: qpvs.map((x) => ({ code: x.territoire.code, nom: x.territoire.nom, valeurs: new Map([...x.valeurs].reverse().map((v) => [cleSerie(v), v])) })),
      contours,
      fond,
      importer: importer(req),
    };
    return sendPage(req, reply, 'Comparer les quartiers prioritaires', <ComparerPage d={d} />);
  });

  app.get('/quartiers/:code', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const p = codeParams.safeParse(req.params);
    const nonTrouve = () => sendError(req, reply, 404, 'Aucun quartier prioritaire ne porte ce code. Retrouvez la liste sur la page « Les quartiers prioritaires ».');
    if (!p.success) return nonTrouve();
    const contratId = req.contrat.id;
    const [found] = await detaillerParCode(db(), contratId, { type: 'qpv', code: p.data.code });
    if (!found) return nonTrouve();
    const t = found.territoire;
    const [voisins, fond] = await Promise.all([
      contoursDe(db(), contratId, { type: 'qpv', geographie: t.geographie }),
      contoursDe(db(), contratId, { type: 'arrondissement' }),
    ]);
    const iris = [...found.enfants, ...found.parents].filter((l) => l.territoire.type === 'iris').map((l) => ({ code: l.territoire.code, nom: l.territoire.nom }));
    const d = {
      code: t.code,
      nom: t.nom,
      nomOfficiel: t.nomOfficiel,
      geographie: t.geographie,
      source: t.source,
      valeurs: found.valeurs,
      arrondissements: rattachements(parType(found.parents, 'arrondissement')),
      iris,
      contour: voisins.find((c) => c.code === t.code) ?? null,
      voisins,
      fond,
      importer: importer(req),
      carto: carto(),
    };
    return sendPage(req, reply, t.nom, <FichePage d={d} />);
  });

  app.get('/territoires/arrondissements/:code', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const p = codeParams.safeParse(req.params);
    const nonTrouve = () => sendError(req, reply, 404, 'Aucun arrondissement ne porte ce code.');
    if (!p.success) return nonTrouve();
    const contratId = req.contrat.id;
    const [found] = await detaillerParCode(db(), contratId, { type: 'arrondissement', code: p.data.code });
    if (!found) return nonTrouve();
    const [fond, qpv] = await Promise.all([contoursDe(db(), contratId, { type: 'arrondissement' }), contoursDe(db(), contratId, { type: 'qpv' })]);
    const enfants = (type: string) => found.enfants.filter((l) => l.territoire.type === type).map((l) => ({ code: l.territoire.code, nom: l.territoire.nom, geographie: l.territoire.geographie }));
    const quartiers = enfants('qpv');
    const d = {
      code: found.territoire.code,
      nom: found.territoire.nom,
      valeurs: found.valeurs,
      qpv: quartiers,
      qva: enfants('qva'),
      iris: enfants('iris').sort((a, b) => a.code.localeCompare(b.code)),
      fond,
      contours: qpv.filter((c) => quartiers.some((x) => x.code === c.code)),
      importer: importer(req),
      carto: carto(),
    };
    return sendPage(req, reply, found.territoire.nom, <ArrondissementPage d={d} />);
  });
};

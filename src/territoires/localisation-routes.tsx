import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from '../platform/validation.ts';
import { sendPage } from '../platform/http/render.tsx';
import { API_PREFIX, defineEndpoint, type EndpointSpec, type OperationDoc } from '../platform/api/openapi.ts';
import type { FieldErrors } from '../platform/ui/forms.tsx';
import type { ComponentChildren } from 'preact';
import { GeographieNonChargee, getLocator } from './locator.ts';
import { MAX_OCTETS } from './geo/lot.ts';
import { FormulaireAdresse, GeographieAbsente, Reponse, TITRE_RECHERCHE } from './localisation-views.tsx';
import { lotRoutes, type Fichier } from './lot-routes.tsx';
import { quartierVecuRoutes } from './quartier-vecu-routes.tsx';

// Address → QPV for people (the public lookup page), for programs (the API), for files (lot-routes)
// and for the quartier vécu rule (quartier-vecu-routes). Every answer comes from the contract's locator.

const texteAdresse = z
  .string({ error: 'Saisissez une adresse.' })
  .trim()
  .min(1, 'Saisissez une adresse.')
  .min(3, 'L’adresse est trop courte : indiquez au moins la voie.')
  .max(300, 'L’adresse est trop longue (300 caractères au plus).');

/** An optional number from a query string: absent or empty is undefined, anything else must read as a number. */
const nombre = (nom: string, min: number, max: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : typeof v === 'string' ? Number(v.replace(',', '.')) : v),
    z
      .number({ error: `La ${nom} doit être un nombre (point ou virgule pour les décimales).` })
      .min(min, `La ${nom} doit être comprise entre ${min} et ${max}.`)
      .max(max, `La ${nom} doit être comprise entre ${min} et ${max}.`)
      .optional(),
  );

export const localiserQuery = z
  .object({
    adresse: texteAdresse.optional().describe('Adresse postale, par exemple « 12 rue de la Chapelle, 75018 Paris »'),
    lat: nombre('latitude', -90, 90).describe('Latitude WGS84 (avec lon, à la place d’une adresse)'),
    lon: nombre('longitude', -180, 180).describe('Longitude WGS84 (avec lat, à la place d’une adresse)'),
  })
  .superRefine((q, ctx) => {
    const coords = q.lat !== undefined || q.lon !== undefined;
    if (q.adresse !== undefined && coords) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Donnez soit une adresse, soit des coordonnées (lat et lon), pas les deux.' });
    } else if (q.adresse === undefined && !coords) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Donnez une adresse (adresse=…) ou des coordonnées (lat=…&lon=…).' });
    } else if (coords && (q.lat === undefined || q.lon === undefined)) {
      ctx.addIssue({ code: 'custom', path: [q.lat === undefined ? 'lat' : 'lon'], message: 'La latitude et la longitude vont ensemble : donnez les deux.' });
    }
  });

const ref = z.object({ code: z.string(), nom: z.string() });
const correspondance = z
  .discriminatedUnion('methode', [
    z.object({ methode: z.literal('coordonnees') }),
    z.object({ methode: z.literal('adresse_exacte'), adresse: z.string(), banId: z.string().describe('Identifiant BAN de l’adresse') }),
    z.object({
      methode: z.literal('adresse_approchee'),
      adresse: z.string().describe('L’adresse retenue'),
      banId: z.string().nullable(),
      score: z.number().describe('Ressemblance du nom de voie, de 0 à 1 (1 : nom exact)'),
      raison: z.string().describe('Pourquoi la correspondance est approchée'),
    }),
    z.object({ methode: z.literal('api_ban'), adresse: z.string(), score: z.number() }),
  ])
  .describe('Comment l’adresse a été reconnue');

export const localisationSchema = z.object({
  statut: z.enum(['qpv', 'hors_qpv', 'incertain']).describe('incertain : près d’une limite (tolérance en mètres) ou adresse reconnue sans certitude ; jamais deviné'),
  qpv: ref.nullable().describe('Le quartier prioritaire, quand le statut est qpv'),
  qpvProche: ref.extend({ distanceMetres: z.number() }).nullable().describe('Le quartier dont la limite est à moins de la tolérance'),
  arrondissement: ref.nullable(),
  iris: ref.nullable(),
  point: z.object({ lon: z.number(), lat: z.number() }),
  correspondance,
  motif: z.string().nullable().describe('L’explication, en français, d’un statut incertain'),
});
export const introuvableSchema = z.object({ statut: z.literal('introuvable'), motif: z.string(), suggestions: z.array(z.string()) });

export const localisationRoutes: FastifyPluginAsync = async (app) => {
  // Only this plugin's routes read multipart bodies (the address files). The file is read into
  // memory here and never touches the disk; the CSRF field comes with it, before the global check.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_OCTETS, files: 1, fields: 10, fieldSize: 10_000 },
    onFile: async (part) => {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      const fichier: Fichier = { nom: part.filename, octets: Buffer.concat(chunks), tronque: part.file.truncated };
      (part as unknown as { value: Fichier }).value = fichier;
    },
  });

  const locator = (req: FastifyRequest) => getLocator(app.ctx.db, req.contrat.id, app.ctx.config.geo);

  app.get('/quartiers/adresse', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const asked = (req.query as Record<string, unknown>).adresse;
    const page = (status: number, content: ComponentChildren, errors: FieldErrors = {}, titre = TITRE_RECHERCHE) =>
      sendPage(
        req,
        reply,
        titre,
        <>
          <h1>{TITRE_RECHERCHE}</h1>
          <p class="lead">
            Saisissez une adresse de Paris : Pilotis dit si elle est dans l’un des quartiers prioritaires du contrat de ville, d’après les
            contours officiels et la Base Adresse Nationale. Près d’une limite, la réponse est « incertain » : vérifiez alors sur la carte.
          </p>
          <FormulaireAdresse valeur={typeof asked === 'string' ? asked : undefined} errors={errors} />
          {content}
          <p>
            Plusieurs adresses à vérifier ? <a href="/quartiers/adresses/lot">Déposez un fichier d’adresses</a>. Pour une structure, voyez
            aussi la <a href="/quartiers/quartier-vecu">règle du quartier vécu</a>.
          </p>
        </>,
        status,
      );
    if (asked === undefined) return page(200, null);
    const parsed = texteAdresse.safeParse(asked);
    if (!parsed.success) return page(400, null, { adresse: parsed.error.issues[0]!.message }, `Erreur — ${TITRE_RECHERCHE}`);
    try {
      const loc = await locator(req);
      const resultat = await loc.localiserAdresse(parsed.data);
      return page(200, <Reponse resultat={resultat} index={loc.index} />, {}, `${parsed.data} — ${TITRE_RECHERCHE}`);
    } catch (e) {
      if (!(e instanceof GeographieNonChargee)) throw e;
      return page(503, <GeographieAbsente message={e.message} />);
    }
  });

  // The registry documents other answers (404, 503) from the operation's `otherResponses`.
  const localiser: EndpointSpec<typeof localiserQuery, z.ZodObject<{}>, z.ZodUnknown, typeof localisationSchema> & Pick<OperationDoc, 'otherResponses'> = {
    method: 'GET',
    path: `${API_PREFIX}/territoires/localiser`,
    summary: 'Une adresse ou un point est-il en quartier prioritaire ? Quartier, arrondissement, IRIS et correspondance',
    description:
      'Donnez soit `adresse`, soit `lat` et `lon` (WGS84). Le statut vaut `qpv`, `hors_qpv` ou `incertain` : incertain quand le point ' +
      'est à moins de la tolérance (15 m par défaut) d’une limite de quartier prioritaire, ou quand l’adresse n’a été reconnue qu’approximativement ' +
      'et que les positions possibles ne sont pas toutes du même côté ; `motif` explique pourquoi. Une adresse inconnue répond 404 avec ' +
      '{ statut: "introuvable", motif, suggestions }. Tant que les contours des quartiers prioritaires (ou, pour une adresse, la base ' +
      'd’adresses) ne sont pas importés, la réponse est 503 : aucune réponse « hors QPV » n’est donnée par défaut.',
    tag: 'Territoires',
    policy: 'portail.voir',
    query: localiserQuery,
    response: localisationSchema,
    otherResponses: {
      '404': { description: 'Adresse introuvable, avec jusqu’à 5 suggestions', schema: introuvableSchema },
      '503': { description: 'Géographie prioritaire ou base d’adresses pas encore importée' },
    },
    handler: async ({ query }, req, reply) => {
      try {
        const loc = await locator(req);
        const r = query.adresse !== undefined ? await loc.localiserAdresse(query.adresse) : loc.localiserPoint(query.lon!, query.lat!);
        if (r.statut === 'introuvable') return reply.status(404).send(introuvableSchema.parse(r));
        return r;
      } catch (e) {
        if (!(e instanceof GeographieNonChargee)) throw e;
        return reply.status(503).send({ erreur: 'Service indisponible', message: e.message });
      }
    },
  };
  defineEndpoint(app, localiser);

  lotRoutes(app, locator);
  quartierVecuRoutes(app);
};


import { z } from '../../platform/validation.ts';

// The national address API (api-adresse.data.gouv.fr or a self-hosted addok), asked only when it is
// configured (config.geo.banApiUrl) and the local base did not find the address. Off by default:
// an instance works offline, and an address typed by a person leaves the server only when its
// operator chose so.

const reponse = z.object({
  features: z.array(
    z.object({
      geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
      properties: z.object({
        label: z.string(),
        score: z.number(),
        type: z.string().optional(),
        housenumber: z.string().optional(),
        street: z.string().optional(),
        postcode: z.string().optional(),
        citycode: z.string().optional(),
      }),
    }),
  ),
});

export type ResultatBan = {
  lon: number;
  lat: number;
  label: string;
  score: number;
  /** False when the API found the street (or the town) but not the number. */
  auNumero: boolean;
  citycode: string | null;
};

export class BanApiIndisponible extends Error {}

/**
 * One search, the best result or null. A network failure, a timeout or an unexpected answer throws
 * BanApiIndisponible: the caller says the address could not be checked, it never guesses.
 */
export async function chercherBan(
  baseUrl: string,
  texte: string,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<ResultatBan | null> {
  const url = new URL('search/', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('q', texte);
  url.searchParams.set('limit', '1');
  let body: unknown;
  try {
    const res = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000), headers: { accept: 'application/json' } });
    if (!res.ok) throw new BanApiIndisponible(`Le service d’adresses a répondu ${res.status}.`);
    body = await res.json();
  } catch (e) {
    if (e instanceof BanApiIndisponible) throw e;
    throw new BanApiIndisponible('Le service national d’adresses ne répond pas.', { cause: e });
  }
  const parsed = reponse.safeParse(body);
  if (!parsed.success) throw new BanApiIndisponible('Le service national d’adresses a fait une réponse illisible.');
  const best = parsed.data.features[0];
  if (!best) return null;
  const [lon, lat] = best.geometry.coordinates;
  const p = best.properties;
  return { lon, lat, label: p.label, score: p.score, auNumero: p.type ? p.type === 'housenumber' : Boolean(p.housenumber), citycode: p.citycode ?? null };
}
